// The distribution system is never an open door: every route is open by design or refuses
// anonymous callers, every operator form checks the session's CSRF token, cookies carry
// HttpOnly, SameSite=Strict and (when served over TLS) Secure, and no token, password or
// cookie reaches the log.
#include <boost/test/unit_test.hpp>
#include <set>

#include "tests/support/operator_login.hpp"

namespace headroom::test {
namespace {

/// The routes anyone may call, each for a reason: logging in, the landing redirect to the
/// login, health and metrics for monitoring, the API description, and firmware downloads
/// (devices fetch images without credentials; an image is public by design). A route not
/// listed here must refuse anonymous requests.
const std::set<std::pair<std::string, std::string>> open_by_design{{"GET", "/login"},
                                                                   {"POST", "/login"},
                                                                   {"GET", "/"},
                                                                   {"GET", "/healthz"},
                                                                   {"GET", "/metrics"},
                                                                   {"GET", "/api/v1/openapi.json"},
                                                                   {"GET", "/firmware/{package}"}};

/// A concrete target for a route pattern: every `{name}` segment becomes `1`.
std::string target_of(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += '1';
      i = pattern.find('}', i);
    } else {
      out += pattern[i];
    }
  }
  return out;
}

http::verb verb_of(const std::string& method) { return http::string_to_verb(method); }

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

const std::map<std::string, std::string> form_type{
    {"Content-Type", "application/x-www-form-urlencoded"}};

struct access_fixture : server_fixture {
  access_fixture() {
    import_small_fleet();
    password = *service().add_operator("alice");
  }

  /// The session cookie (`name=value`) of a fresh login, and the session's CSRF token.
  std::pair<std::string, std::string> log_in() {
    const auto r = login_form::fetch(*this).post(*this, "alice", password);
    BOOST_REQUIRE_EQUAL(r.status, 303);
    const auto cookie = cookie_pair_of(r);
    const auto page =
        anonymous().send(http::verb::get, "/warnings", {}, {{"Cookie", cookie}}, false);
    BOOST_REQUIRE_EQUAL(page.status, 200);
    return {cookie, form_field_of(page.body, "csrf")};
  }

  std::string password;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_access, access_fixture)

BOOST_AUTO_TEST_CASE(every_route_is_open_by_design_or_refuses_anonymous_requests) {
  const auto routes = service().route_table();
  BOOST_TEST_REQUIRE(routes.size() > 20u);
  const auto session = log_in().first;
  std::set<std::pair<std::string, std::string>> open_seen;
  for (const auto& r : routes) {
    const auto name = r.method + " " + r.pattern;
    const auto target = target_of(r.pattern);
    const auto verb = verb_of(r.method);
    if (r.access == "open") {
      BOOST_TEST(open_by_design.count({r.method, r.pattern}) == 1u,
                 name << " is open but not open by design");
      open_seen.insert({r.method, r.pattern});
      continue;
    }
    const auto anonymous_reply = anonymous().send(verb, target, {}, {}, false);
    const auto wrong_token =
        anonymous().send(verb, target, {}, {{"Authorization", "Bearer not-the-token-1234"}});
    if (r.access == "token") {
      BOOST_TEST(anonymous_reply.status == 401, name);
      BOOST_TEST(wrong_token.status == 401, name);
      // An operator's session opens the pages, not the machine API.
      BOOST_TEST(anonymous().send(verb, target, {}, {{"Cookie", session}}, false).status == 401,
                 name);
    } else {
      BOOST_TEST(r.access == "operator", name);
      BOOST_TEST(anonymous_reply.status == 303, name);
      BOOST_TEST(has(anonymous_reply.header("Location"), "/login?next="), name);
      // The machine token opens the API, not the pages.
      const auto with_token = client().send(verb, target, {}, form_type);
      BOOST_TEST(with_token.status == 303, name);
      BOOST_TEST(has(with_token.header("Location"), "/login?next="), name);
    }
  }
  // The list above stays honest: every route it names exists and is open.
  BOOST_TEST(open_seen == open_by_design);
}

BOOST_AUTO_TEST_CASE(every_operator_form_refuses_a_missing_or_wrong_csrf_token) {
  const auto [session, csrf] = log_in();
  BOOST_TEST_REQUIRE(!csrf.empty());
  BOOST_REQUIRE_EQUAL(client()
                          .post("/api/v1/notifications",
                                R"({"detector": "det-1", "proxy": "px-a", "windows": [
        {"start": "2026-12-01T10:05:00Z", "end": "2026-12-01T10:10:00Z", "peak": 3,
         "threshold": 2, "jobs": ["j1", "j2", "j3"]}]})",
                                {{"Idempotency-Key", "w"}})
                          .status,
                      201);
  std::map<std::string, std::string> headers = form_type;
  headers["Cookie"] = session;
  int forms = 0;
  for (const auto& r : service().route_table()) {
    if (r.access != "operator" || r.method == "GET") continue;
    ++forms;
    const auto name = r.method + " " + r.pattern;
    const auto target = target_of(r.pattern);
    const auto verb = verb_of(r.method);
    BOOST_TEST(anonymous().send(verb, target, "", headers, false).status == 403, name);
    BOOST_TEST(anonymous().send(verb, target, "csrf=forged", headers, false).status == 403, name);
    // Another session's token is as wrong as a made-up one.
    BOOST_TEST(anonymous().send(verb, target, "csrf=" + csrf + "x", headers, false).status == 403,
               name);
  }
  BOOST_TEST(forms >= 4);  // logout, acknowledge, apply, move
  // Nothing happened: the session still works and the warning is still open.
  BOOST_TEST(
      anonymous().send(http::verb::get, "/warnings", {}, {{"Cookie", session}}, false).status ==
      200);
  BOOST_TEST(service().data().open_warnings()->size() == 1u);
  // The login form, which has no session yet, double-submits its token (cookie and field).
  const auto form = login_form::fetch(*this);
  const login_form no_field{form.cookie, ""};
  const login_form forged_field{form.cookie, "forged"};
  const login_form no_cookie{"", form.csrf};
  BOOST_TEST(no_field.post(*this, "alice", password).status == 403);
  BOOST_TEST(forged_field.post(*this, "alice", password).status == 403);
  BOOST_TEST(no_cookie.post(*this, "alice", password).status == 403);
}

BOOST_AUTO_TEST_CASE(cookies_are_http_only_strict_and_secure_when_served_over_tls) {
  const auto cookies = [&](const std::map<std::string, std::string>& headers) {
    const auto page = anonymous().send(http::verb::get, "/login", {}, headers);
    const login_form form{cookie_pair_of(page), form_field_of(page.body, "csrf")};
    const auto login = form.post(*this, "alice", password, headers);
    BOOST_REQUIRE_EQUAL(login.status, 303);
    return std::pair{page.header("Set-Cookie"), login.header("Set-Cookie")};
  };
  // Plain HTTP (the default, on loopback or a trusted network).
  auto [form, session] = cookies({});
  for (const auto& c : {form, session}) {
    BOOST_TEST(has(c, "; HttpOnly"), c);
    BOOST_TEST(has(c, "; SameSite=Strict"), c);
    BOOST_TEST(!has(c, "Secure"), c);
  }
  BOOST_TEST(has(session, "headroom_session="));
  BOOST_TEST(has(session, "; Path=/;"));

  // auth.secure_cookies: behind a TLS proxy or tunnel.
  configure = [](distribution::distribution_config& c) { c.secure_cookies = true; };
  restart();
  std::tie(form, session) = cookies({});
  for (const auto& c : {form, session}) {
    BOOST_TEST(has(c, "; HttpOnly; SameSite=Strict; Secure"), c);
  }

  // A trusted proxy that says the client spoke HTTPS.
  configure = [](distribution::distribution_config& c) { c.trusted_proxies = {"127.0.0.1"}; };
  restart();
  std::tie(form, session) = cookies({{"X-Forwarded-Proto", "https"}});
  BOOST_TEST(has(form, "; Secure"), form);
  BOOST_TEST(has(session, "; Secure"), session);
  std::tie(form, session) = cookies({{"X-Forwarded-Proto", "http"}});
  BOOST_TEST(!has(session, "Secure"), session);

  // An untrusted peer's X-Forwarded-Proto is ignored.
  configure = [](distribution::distribution_config& c) { c.trusted_proxies = {"10.9.9.9"}; };
  restart();
  std::tie(form, session) = cookies({{"X-Forwarded-Proto", "https"}});
  BOOST_TEST(!has(session, "Secure"), session);
}

BOOST_AUTO_TEST_CASE(tokens_passwords_and_cookies_never_reach_the_log) {
  configure = [](distribution::distribution_config& c) { c.access_log = true; };
  restart();
  const std::string wrong_password = "Wr0ng-Passw0rd-zq";
  const auto form = login_form::fetch(*this);
  BOOST_TEST(form.post(*this, "alice", wrong_password).status == 401);
  // A password typed into the name field: an unknown operator, not logged by name.
  BOOST_TEST(form.post(*this, password, "x").status == 401);
  const auto [session, csrf] = log_in();
  const auto session_value = session.substr(session.find('=') + 1);
  // The API with the token, with a wrong token that differs only at the end, and a token
  // put where it does not belong: the query string.
  BOOST_TEST(client().get("/api/v1/jobs").status == 200);
  BOOST_TEST(anonymous()
                 .send(http::verb::get, "/api/v1/jobs", {},
                       {{"Authorization", std::string("Bearer ") + test_token + "-almost"}})
                 .status == 401);
  anonymous().send(http::verb::get, std::string("/api/v1/jobs?access_token=") + test_token, {}, {},
                   false);
  // A page and a form with the session and its CSRF token.
  BOOST_TEST(
      anonymous().send(http::verb::get, "/history", {}, {{"Cookie", session}}, false).status ==
      200);
  auto headers = form_type;
  headers["Cookie"] = session;
  BOOST_TEST(anonymous().send(http::verb::post, "/logout", "csrf=" + csrf, headers, false).status ==
             303);

  const auto log = logs();
  // The log says what happened...
  BOOST_TEST(has(log, "login failed for operator 'alice'"), log);
  BOOST_TEST(has(log, "unknown operator"), log);
  BOOST_TEST(has(log, "operator 'alice' logged in"), log);
  BOOST_TEST(has(log, "wrong bearer token"), log);
  BOOST_TEST(has(log, "GET /api/v1/jobs 200 from 127.0.0.1"), log);
  BOOST_TEST(has(log, "POST /logout 303"), log);
  // ...and none of the secrets.
  BOOST_TEST(!has(log, test_token), log);
  BOOST_TEST(!has(log, password), log);
  BOOST_TEST(!has(log, wrong_password), log);
  BOOST_TEST(!has(log, session_value), log);
  BOOST_TEST(!has(log, csrf), log);
  BOOST_TEST(!has(log, form.csrf), log);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
