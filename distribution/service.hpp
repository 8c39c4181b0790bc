#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "distribution/config.hpp"
#include "distribution/failure.hpp"
#include "domain/wall_clock.hpp"

namespace headroom::distribution {

class store;

/// Where the distribution system writes its log lines (one call per line, no newline):
/// security events (failed logins, lockouts, refused tokens) and, with
/// `server.access_log`, one line per request. Never secrets: no tokens, passwords,
/// cookies or query strings. Called from the HTTP threads, so it must be thread-safe.
using log_sink = std::function<void(const std::string&)>;

/// A route as the router holds it, for tests that walk the table.
struct route_info {
  std::string method;   ///< GET, POST, ...
  std::string pattern;  ///< `/api/v1/jobs/{id}`.
  std::string access;   ///< "open", "token" or "operator".
};

/// The whole distribution system: store, routes and HTTP server, wired from one config.
/// `headroom distribution` runs one; the tests run one on 127.0.0.1 port 0.
class distribution_service {
 public:
  /// Opens (or creates) the data directory and the store; `clock` stamps every change.
  /// Without a `log`, lines go to stderr.
  static domain::expected<std::unique_ptr<distribution_service>, failure> open(
      distribution_config config, domain::wall_clock clock, log_sink log = {});
  ~distribution_service();

  /// Starts listening; returns the bound port.
  domain::expected<std::uint16_t, failure> start();
  void stop();

  [[nodiscard]] const std::string& api_token() const;
  [[nodiscard]] store& data();
  /// The routes, for checking them against the OpenAPI document.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> api_routes() const;
  /// Every route with who may call it, so that a test can prove none is open by mistake.
  [[nodiscard]] std::vector<route_info> route_table() const;
  /// Entries the login limiter holds (its memory is bounded by auth.login_tracked_keys).
  [[nodiscard]] std::size_t login_limiter_entries() const;

  /// Creates or resets an operator; returns the generated password.
  domain::expected<std::string, failure> add_operator(const std::string& name);

 private:
  struct parts;
  explicit distribution_service(std::unique_ptr<parts> p);
  std::unique_ptr<parts> parts_;
};

}  // namespace headroom::distribution
