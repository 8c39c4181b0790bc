#pragma once
// Everything `headroom detector` can be told, with its defaults in one place: read from
// config/detector.toml, then overridden by flags, then validated as a whole.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "actors/detector/adjuster.hpp"
#include "actors/detector/schedule_fetcher.hpp"
#include "detector/model_builder.hpp"
#include "domain/expected.hpp"
#include "domain/time.hpp"

namespace headroom::detector {

struct detector_config {
  // [detector]
  std::string id = "detector-1";
  detector_mode mode = detector_mode::warn;
  std::string data_dir = "data/detector";  ///< The outbox (and nothing else yet).
  std::string status = "127.0.0.1:9300";   ///< /status, /metrics, /healthz; port 0: any.

  // [bus]
  std::string bus = "tcp://127.0.0.1:5555";  ///< The ROUTER nodes connect to.
  std::string bus_publish;                   ///< The PUB; empty: the ROUTER's port + 1.
  std::chrono::milliseconds heartbeat{1000};
  std::chrono::milliseconds heartbeat_timeout{5000};
  std::string curve_key_file;  ///< The detector's key pair (`headroom keygen`); empty: no Curve.
  std::string curve_allowlist_file;  ///< The node public keys accepted (with curve_key_file).

  // [distribution]
  std::string distribution = "http://127.0.0.1:8080";
  std::string api_token;
  std::chrono::milliseconds request_timeout{10'000};

  // [fetch]
  std::chrono::milliseconds fetch_interval{60'000};
  std::chrono::milliseconds backoff_min{1'000};
  std::chrono::milliseconds backoff_max{60'000};
  std::uint32_t breaker_failures = 5;
  std::chrono::milliseconds breaker_open{60'000};
  std::uint32_t full_refresh_every = 30;

  // [detection]
  std::uint32_t shards = 0;  ///< Load detector actors; 0: one per core.
  std::int64_t horizon_days = 14;
  std::optional<domain::interval> horizon;  ///< horizon_start/horizon_end: a fixed horizon.
  threshold_policy thresholds;

  // [notify]
  std::chrono::milliseconds notify_backoff_min{500};
  std::chrono::milliseconds notify_backoff_max{60'000};
};

/// Checks ranges and combinations; the error names the setting.
std::optional<domain::error> validate(const detector_config& config);

/// Reads a TOML file over the defaults; unknown keys and wrong types are errors naming
/// the file, the setting and the line. Validate once the flags are applied too.
domain::expected<detector_config> read_detector_config(const std::string& path);

/// The PUB endpoint: bus_publish, or the ROUTER's tcp port + 1.
domain::expected<std::string> publish_endpoint(const detector_config& config);

std::optional<detector_mode> parse_mode(const std::string& text);

/// The schedule fetcher's part of the configuration (its clock is added by the caller).
fetcher_config fetcher_config_of(const detector_config& config);

}  // namespace headroom::detector
