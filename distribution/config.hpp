#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/expected.hpp"

namespace headroom::distribution {

/// Everything `headroom distribution` can be told; defaults live here and only here.
/// Built once (file, then flags), validated, then shared read-only.
struct distribution_config {
  std::string listen = "127.0.0.1:8080";       ///< host:port; port 0 picks a free one.
  std::string data_dir = "data/distribution";  ///< Holds distribution.sqlite3 and firmware/.
  std::string api_token;                       ///< Machine bearer token; empty: generated at start.
  int threads = 2;                             ///< Threads serving HTTP.
  std::int64_t max_body_bytes = 1 << 20;       ///< Limit for ordinary JSON bodies (413 above).
  std::int64_t max_fleet_bytes = 512LL << 20;  ///< Limit for PUT /api/v1/fleet.
  std::int64_t max_firmware_bytes = 1LL << 30;  ///< Limit for PUT /firmware/{package}.
  int page_size = 100;                          ///< Default items per page of a list.
  int max_page_size = 1000;                     ///< Largest `limit` a client may ask for.
  int session_hours = 12;                       ///< Operator session lifetime.
  /// Cookies get `Secure` always (the server sits behind a TLS proxy or a TLS tunnel).
  bool secure_cookies = false;
  /// Failed logins per operator name, and per client address, within the window; then 429.
  int login_failures_per_account = 5;
  int login_failures_per_address = 20;
  int login_window_seconds = 900;   ///< The window, and how long a lockout lasts.
  int login_tracked_keys = 10'000;  ///< Names and addresses the limiter remembers at most.
  /// Peers (exact IP addresses) whose X-Forwarded-For and X-Forwarded-Proto are believed:
  /// the client address is the last X-Forwarded-For entry, and `https` there marks the
  /// cookies `Secure`. From anyone else both headers are ignored.
  std::vector<std::string> trusted_proxies;
  int idempotency_key_hours = 24;  ///< How long a retry with the same key gets the first answer.
  bool access_log = false;         ///< One log line per request (method, path, status, client).
  std::string display_time_zone = "UTC";  ///< IANA zone the pages show times in.
};

/// Reads a TOML file laid out like config/distribution.toml over the defaults, not yet
/// validated (flags may still change it). Unknown keys are errors, so that a typo does
/// not silently keep a default; the error names the key, the file and the line.
domain::expected<distribution_config> read_distribution_config(const std::string& path);
/// The same from TEXT, the contents of a file named SOURCE (for the fuzz target).
domain::expected<distribution_config> read_distribution_config_text(std::string_view text,
                                                                    const std::string& source);

/// Checks ranges and formats; the error names the offending key.
domain::expected<distribution_config> validate(distribution_config c);

}  // namespace headroom::distribution
