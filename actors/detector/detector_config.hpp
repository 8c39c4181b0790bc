#pragma once
// Everything `headroom detector` can be told: read from config/detector.toml, then
// overridden by flags, then validated as a whole. The actors' own configurations are
// parts of it, so that each default is stated once, by the actor that uses it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/detector/adjuster.hpp"
#include "actors/detector/distribution_client.hpp"
#include "actors/detector/node_registry.hpp"
#include "actors/detector/notifier.hpp"
#include "actors/detector/schedule_fetcher.hpp"
#include "bus/endpoints.hpp"
#include "bus/heartbeat.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

struct detector_config {
  // [detector]
  std::string id = "detector-1";
  detector_mode mode = detector_mode::warn;
  std::string data_dir = "data/detector";  ///< The outbox (and nothing else yet).
  std::string status = "127.0.0.1:9300";   ///< /status, /metrics, /healthz; port 0: any.

  // [bus]
  std::string bus = bus::default_router_endpoint;  ///< The ROUTER nodes connect to.
  std::string bus_publish;                         ///< The PUB; empty: the ROUTER's port + 1.
  std::chrono::milliseconds heartbeat_interval = bus::default_heartbeat_interval;
  std::chrono::milliseconds heartbeat_timeout = bus::default_heartbeat_timeout;
  std::string key_file;        ///< The detector's key pair (`headroom keygen`); empty: no Curve.
  std::string allowlist_file;  ///< The node public keys accepted (with key_file).

  // [distribution]
  distribution_client_config distribution;

  // [fetch], and the horizon and thresholds of [detection]
  fetcher_config fetch;

  // [detection]
  std::uint32_t shards = 0;       ///< Load detector actors; 0: one per core.
  node_registry_config registry;  ///< `proxies`: the proxy ids this detector owns.

  // [notify]
  notifier_config notify;
};

/// Checks ranges and combinations and fills what follows from other settings (the PUB
/// endpoint, the fetcher's request timeout, the notifier's outbox, id and delivery
/// timeout); the error names the setting.
domain::expected<detector_config> validate(detector_config config);

/// Reads a TOML file over the defaults, not yet validated (flags may still change it).
/// The error names the key, the file and the line.
domain::expected<detector_config> read_detector_config(const std::string& path);
/// The same from TEXT, the contents of a file named SOURCE (for the fuzz target).
domain::expected<detector_config> read_detector_config_text(std::string_view text,
                                                            const std::string& source);

std::optional<detector_mode> parse_mode(std::string_view text);

}  // namespace headroom::detector
