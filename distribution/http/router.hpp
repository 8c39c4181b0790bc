#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "distribution/http/metrics.hpp"
#include "distribution/http/types.hpp"
#include "distribution/http/url.hpp"

namespace headroom::distribution {

/// Who may call a route.
enum class access {
  open,      ///< Anyone (health, metrics, firmware downloads, the API description, the login page).
  token,     ///< Machines with the bearer token.
  operator_  ///< A logged-in operator (session cookie); forms also need the CSRF token.
};

/// What a handler knows about the request beyond its bytes.
struct request_context {
  target where;                               ///< Decoded path and query.
  std::map<std::string, std::string> params;  ///< `{id}` segments of the route pattern.
  std::string operator_name;                  ///< Set for operator routes.
  std::string csrf;                           ///< The session's CSRF token, for operator routes.
  std::string peer;                           ///< The TCP peer's address (a proxy, maybe).
};

using handler = std::function<http_response(const http_request&, request_context&)>;

struct route {
  http::verb method = http::verb::get;
  std::string pattern;  ///< `/api/v1/jobs/{id}`: a `{name}` segment matches one path segment.
  access who = access::token;
  handler answer;
  std::int64_t body_limit = 0;  ///< 0: the configured default.
  bool in_openapi = true;       ///< Part of the machine API (checked against openapi.json).
};

/// Decides whether a request may reach a route; an answer (401, a redirect to the login
/// page, 403 for a failed CSRF check) stops it there. It fills the operator fields.
using access_guard =
    std::function<std::optional<http_response>(const http_request&, access, request_context&)>;

/// Finds the route for a request and answers 404 or 405 (with Allow) as problem documents.
class router {
 public:
  router(std::int64_t default_body_limit, metrics& counters)
      : default_body_limit_(default_body_limit), metrics_(counters) {}

  void add(route r) { routes_.push_back(std::move(r)); }
  void set_guard(access_guard guard) { guard_ = std::move(guard); }
  /// With a sink, one line per request: method, path (never the query), status, peer.
  void set_access_log(std::function<void(const std::string&)> sink) { log_ = std::move(sink); }

  /// The largest body the request's route accepts (the default for unknown routes).
  [[nodiscard]] std::int64_t body_limit(http::verb method, std::string_view raw_target) const;

  /// Answers one request from `peer` (the TCP peer's address); never throws.
  [[nodiscard]] http_response dispatch(const http_request& req, const std::string& peer = {}) const;

  [[nodiscard]] const std::vector<route>& routes() const { return routes_; }

 private:
  const route* find(http::verb method, const std::string& path, request_context& ctx,
                    std::string& allow) const;

  std::int64_t default_body_limit_;
  metrics& metrics_;
  std::vector<route> routes_;
  access_guard guard_;
  std::function<void(const std::string&)> log_;
};

/// TEXT with every control character replaced, so that a log line stays one line.
std::string log_safe(std::string_view text);

/// Matches `path` against `pattern`, filling `params`.
bool match_pattern(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>& params);

}  // namespace headroom::distribution
