// Operator login and logout. The login form is protected against CSRF with a
// double-submitted token (a cookie and a hidden field that must match), since there is
// no session yet to hold one. Failed logins are counted per operator and per address
// (login_limiter); past the limits the form answers 429 with Retry-After.
#include "distribution/app.hpp"
#include "distribution/auth.hpp"
#include "distribution/crypto.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution/pages/html.hpp"
#include "distribution/pages/pages.hpp"

namespace headroom::distribution {
namespace {

constexpr const char* login_cookie = "headroom_login_csrf";

/// Only local paths may follow a login, so that the form cannot send anyone elsewhere.
std::string safe_next(const std::string& next) {
  if (next.size() > 1 && next[0] == '/' && next[1] != '/' && next.find('\\') == std::string::npos)
    return next;
  return "/warnings";
}

http_response login_form(const std::string& next, const std::string& message, http::status status,
                         const std::string& cookie_attributes) {
  const auto token = random_token(18);
  std::string body;
  if (!message.empty()) body += "<p class=\"note\" role=\"alert\">" + escape(message) + "</p>";
  body +=
      "<form method=\"post\" action=\"/login\"><fieldset><p><label>Operator <input name=\"name\" "
      "autocomplete=\"username\" required autofocus></label></p><p><label>Password <input "
      "name=\"password\" "
      "type=\"password\" autocomplete=\"current-password\" required></label></p>"
      "<input type=\"hidden\" name=\"next\" value=\"" +
      escape(safe_next(next)) + "\">" + csrf_field(token) +
      "<p><button type=\"submit\">Log in</button></p></fieldset></form>";
  auto res = html_page({"Log in", "", "", ""}, body, status);
  res.set(http::field::set_cookie, std::string(login_cookie) + "=" + token + cookie_attributes);
  return res;
}

/// 429 with Retry-After and a page that says when to try again.
http_response locked_out(const app_context& app, const login_lockout& lockout,
                         const std::string& next, const std::string& cookie_attributes) {
  const auto wait = std::max<domain::instant>(1, lockout.until - app.now());
  auto res =
      login_form(next,
                 std::string("Too many failed logins ") +
                     (lockout.by_account ? "for this operator" : "from your address") +
                     ". Try again in " + std::to_string((wait + 59) / 60) + " minute(s), after " +
                     display_time(lockout.until, app.config.display_time_zone) + ".",
                 http::status::too_many_requests, cookie_attributes);
  res.set(http::field::retry_after, std::to_string(wait));
  return res;
}

}  // namespace

void add_auth_pages(router& r, app_context& app) {
  r.add({http::verb::get, "/login", access::open,
         [&app](const http_request& req, request_context& ctx) {
           const auto it = ctx.where.query.find("next");
           return login_form(it == ctx.where.query.end() ? "/warnings" : it->second, "",
                             http::status::ok, cookie_attributes(app, req, ctx, "/login"));
         },
         0, false});
  r.add(
      {http::verb::post, "/login", access::open,
       [&app](const http_request& req, request_context& ctx) -> http_response {
         const auto form_cookie = cookie_attributes(app, req, ctx, "/login");
         auto form = parse_form(req.body());
         if (!form)
           return login_form("/warnings", "The form could not be read.", http::status::bad_request,
                             form_cookie);
         const auto field = [&](const char* name) {
           return form->count(name) ? form->at(name) : std::string();
         };
         const auto next = safe_next(field("next"));
         const auto cookie = cookie_value(req, login_cookie);
         if (cookie.empty() || !equal_secrets(cookie, field("csrf")))
           return login_form(next, "The login form expired; please try again.",
                             http::status::forbidden, form_cookie);
         const auto name = field("name");
         const auto address = client_address(app, req, ctx);
         // Refused before the password is checked: a locked account cannot be probed.
         if (auto lockout = app.logins.check(name, address, app.now())) {
           app.log("login refused (429) from " + address + ": too many failures " +
                   (lockout->by_account ? "for this operator" : "from this address"));
           return locked_out(app, *lockout, next, form_cookie);
         }
         auto hash = app.data.operator_password_hash(name);
         if (!hash || !verify_password(*hash, field("password"))) {
           app.logins.failed(name, address, app.now());
           // The name is logged only when it is an operator's: an unknown "name" may be a
           // password typed into the wrong field.
           app.log(hash ? "login failed for operator '" + name + "' from " + address +
                              ": wrong password"
                        : "login failed from " + address + ": unknown operator");
           return login_form(next, "Unknown operator or wrong password.",
                             http::status::unauthorized, form_cookie);
         }
         app.logins.succeeded(name);
         const auto token = random_token(32);
         operator_session session{name, random_token(24),
                                  app.now() + app.config.session_hours * 3600};
         if (auto opened = app.data.create_session(sha256_hex(token), session, app.now()); !opened)
           return problem_response(opened.failure());
         app.log("operator '" + name + "' logged in from " + address);
         auto res = see_other(next);
         res.set(http::field::set_cookie,
                 std::string(session_cookie) + "=" + token + cookie_attributes(app, req, ctx, "/") +
                     "; Max-Age=" + std::to_string(app.config.session_hours * 3600));
         return res;
       },
       0, false});
  r.add({http::verb::post, "/logout", access::operator_,
         [&app](const http_request& req, request_context& ctx) -> http_response {
           if (auto ended = app.data.end_session(sha256_hex(cookie_value(req, session_cookie)));
               !ended)
             return problem_response(ended.failure());
           auto res = see_other("/login");
           res.set(http::field::set_cookie, std::string(session_cookie) + "=" +
                                                cookie_attributes(app, req, ctx, "/") +
                                                "; Max-Age=0");
           return res;
         },
         0, false});
  r.add({http::verb::get, "/", access::open,
         [](const http_request&, request_context&) { return see_other("/warnings"); }, 0, false});
}

}  // namespace headroom::distribution
