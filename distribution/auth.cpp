#include "distribution/auth.hpp"

#include <algorithm>

#include "distribution/crypto.hpp"
#include "distribution/http/problem.hpp"

namespace headroom::distribution {
namespace {

bool trusted_proxy(const app_context& app, const request_context& ctx) {
  const auto& proxies = app.config.trusted_proxies;
  return !ctx.peer.empty() && std::find(proxies.begin(), proxies.end(), ctx.peer) != proxies.end();
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return std::string(text);
}

std::optional<http_response> check_token(const app_context& app, const http_request& req,
                                         const request_context& ctx) {
  const auto header = std::string(req[http::field::authorization]);
  constexpr std::string_view scheme = "Bearer ";
  // Logged without the header's value: a wrong token may be a right one mistyped.
  const auto refuse = [&](const char* why, const char* detail) {
    app.log("refused " + std::string(req.method_string()) + " " + log_safe(ctx.where.path) +
            " from " + client_address(app, req, ctx) + ": " + why);
    return problem_response({failure_kind::unauthorized, "Authorization", detail});
  };
  if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0)
    return refuse("no bearer token", "this resource needs 'Authorization: Bearer <token>'");
  if (!equal_secrets(std::string_view(header).substr(scheme.size()), app.api_token))
    return refuse("wrong bearer token", "the bearer token is not valid");
  return std::nullopt;
}

http_response to_login(const request_context& ctx) {
  http_response res{http::status::see_other, 11};
  res.set(http::field::location, "/login?next=" + percent_encode(ctx.where.path));
  res.set(http::field::content_type, "text/plain");
  res.body() = "log in first";
  return res;
}

std::optional<http_response> check_operator(app_context& app, const http_request& req,
                                            request_context& ctx) {
  const auto cookie = cookie_value(req, session_cookie);
  if (cookie.empty()) return to_login(ctx);
  auto session = app.data.session(sha256_hex(cookie), app.now());
  if (!session) return to_login(ctx);
  ctx.operator_name = session->name;
  ctx.csrf = session->csrf;
  if (req.method() != http::verb::get) {
    // Every state-changing form carries the session's CSRF token in a hidden field.
    const auto form = parse_form(req.body());
    const auto sent = form && form->count("csrf") ? form->at("csrf") : std::string();
    if (sent.empty() || !equal_secrets(sent, session->csrf))
      return problem_response({failure_kind::forbidden, "csrf",
                               "the form's CSRF token is missing or wrong; reload the page"});
  }
  return std::nullopt;
}

}  // namespace

std::string client_address(const app_context& app, const http_request& req,
                           const request_context& ctx) {
  if (trusted_proxy(app, ctx)) {
    const auto forwarded_text = std::string(req["X-Forwarded-For"]);
    const std::string_view forwarded = forwarded_text;
    const auto comma = forwarded.rfind(',');
    auto last = trimmed(comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1));
    if (!last.empty()) return log_safe(last.substr(0, 64));
  }
  return ctx.peer.empty() ? std::string("-") : ctx.peer;
}

std::string cookie_attributes(const app_context& app, const http_request& req,
                              const request_context& ctx, const std::string& path) {
  const bool https =
      app.config.secure_cookies ||
      (trusted_proxy(app, ctx) &&
       boost::beast::iequals(trimmed(std::string(req["X-Forwarded-Proto"])), "https"));
  return "; Path=" + path + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
}

std::string cookie_value(const http_request& req, const std::string& name) {
  const auto header = std::string(req[http::field::cookie]);
  std::size_t pos = 0;
  while (pos < header.size()) {
    const auto end = std::min(header.find(';', pos), header.size());
    auto pair = std::string_view(header).substr(pos, end - pos);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string(pair.substr(eq + 1));
    pos = end + 1;
  }
  return {};
}

access_guard make_access_guard(app_context& app) {
  return [&app](const http_request& req, access who,
                request_context& ctx) -> std::optional<http_response> {
    switch (who) {
      case access::open:
        return std::nullopt;
      case access::token:
        return check_token(app, req, ctx);
      case access::operator_:
        return check_operator(app, req, ctx);
    }
    return std::nullopt;
  };
}

}  // namespace headroom::distribution
