#include "distribution/auth.hpp"

#include "distribution/crypto.hpp"
#include "distribution/http/problem.hpp"

namespace headroom::distribution {
namespace {

std::optional<http_response> check_token(const http_request& req, const std::string& token) {
  const auto header = std::string(req[http::field::authorization]);
  constexpr std::string_view scheme = "Bearer ";
  if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0)
    return problem_response({failure_kind::unauthorized, "Authorization",
                             "this resource needs 'Authorization: Bearer <token>'"});
  if (!equal_secrets(std::string_view(header).substr(scheme.size()), token))
    return problem_response(
        {failure_kind::unauthorized, "Authorization", "the bearer token is not valid"});
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
        return check_token(req, app.api_token);
      case access::operator_:
        return check_operator(app, req, ctx);
    }
    return std::nullopt;
  };
}

}  // namespace headroom::distribution
