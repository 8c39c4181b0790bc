#pragma once
// The detector's HTTP/JSON client of the distribution system (docs/api.md): inventory
// and jobs (every page), the learned topology, and the outbox's deliveries with their
// idempotency keys. Failures answer with a detector_errc error whose context names the
// request and what failed (connect refused, timeout, HTTP status and problem detail,
// the JSON path of a malformed answer); deliveries tell transient from permanent.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/detector/interfaces.hpp"
#include "detector/http_connection.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

/// The [distribution] section of the detector's configuration.
struct distribution_client_config {
  std::string url = "http://127.0.0.1:8080";  ///< `http://HOST[:PORT][/]`; nothing else.
  std::string api_token;  ///< Sent as `Authorization: Bearer TOKEN`; must be set.
  std::chrono::milliseconds connect_timeout = http_limits{}.connect_timeout;
  std::chrono::milliseconds request_timeout =
      http_limits{}.request_timeout;  ///< Per request, once connected.
  std::int32_t page_size = 1000;      ///< `limit` of list requests: the server's `max_page_size`.
  std::uint64_t max_answer_bytes = http_limits{}.max_answer_bytes;
};

/// Where the distribution system listens, from its URL.
struct http_endpoint {
  std::string host;
  std::uint16_t port = 80;
};

/// Reads `http://HOST[:PORT][/]` (an IPv6 host in brackets); any other scheme, a path,
/// a query or credentials are refused with an error that says so.
domain::expected<http_endpoint> parse_http_url(const std::string& url);

/// Checks the settings; the error names the setting as [distribution] spells it.
domain::expected<distribution_client_config> validate(distribution_client_config config);

struct distribution_client_state {
  distribution_client_state() = default;

  static constexpr const char* name = "distribution-client";

  distribution_client_config config;
  std::unique_ptr<http_connection> connection;
};

distribution_client_actor::behavior_type distribution_client(
    distribution_client_actor::stateful_pointer<distribution_client_state> self,
    distribution_client_config config, http_endpoint endpoint);

/// Validates and spawns the client on a thread of its own (`caf::detached`).
caf::expected<distribution_client_actor> spawn_distribution_client(
    caf::actor_system& system, distribution_client_config config);

}  // namespace headroom::detector
