// The operator pages over HTTP: login with CSRF, the warning screen, applying a suggested
// adjustment, previewing and confirming a move, and the history.
#include <boost/test/unit_test.hpp>
#include <regex>

#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {
namespace {

const std::string warning = R"({"detector": "det-1", "proxy": "px-a",
  "windows": [{"start": "2026-12-01T10:05:00Z", "end": "2026-12-01T10:10:00Z", "peak": 3, "threshold": 2,
               "jobs": ["j1", "j2", "j3"]}],
  "suggested_adjustment": {"moves": [{"job": "j3", "from": "2026-12-01T10:05:00Z",
                                      "to": "2026-12-01T10:15:00Z", "version": 1}]}})";

std::string form_field(const std::string& html, const std::string& name) {
  std::smatch m;
  const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

std::string cookie_of(const reply& r) {
  const auto set = r.header("Set-Cookie");
  return set.substr(0, set.find(';'));
}

/// A browser's view: it keeps the session cookie and posts forms.
struct operator_browser {
  const server_fixture& server;
  std::string cookie;

  reply get(const std::string& target) const {
    return server.anonymous().send(http::verb::get, target, {}, {{"Cookie", cookie}}, false);
  }
  reply post(const std::string& target, const std::string& form) const {
    return server.anonymous().send(
        http::verb::post, target, form,
        {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}}, false);
  }
};

struct pages_fixture : server_fixture {
  pages_fixture() {
    import_small_fleet();
    password = *service().add_operator("alice");
  }

  operator_browser log_in() {
    const auto page = anonymous().get("/login");
    const auto login_cookie = cookie_of(page);
    const auto r = anonymous().send(
        http::verb::post, "/login",
        "name=alice&password=" + password +
            "&next=%2Fwarnings&csrf=" + form_field(page.body, "csrf"),
        {{"Cookie", login_cookie}, {"Content-Type", "application/x-www-form-urlencoded"}});
    BOOST_REQUIRE_EQUAL(r.status, 303);
    BOOST_TEST(r.header("Location") == "/warnings");
    return {*this, cookie_of(r)};
  }

  std::string password;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_pages, pages_fixture)

BOOST_AUTO_TEST_CASE(pages_redirect_to_login_without_a_session) {
  const auto r = anonymous().get("/warnings");
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("Location") == "/login?next=%2Fwarnings");
}

BOOST_AUTO_TEST_CASE(login_needs_the_right_password_and_the_form_token) {
  const auto page = anonymous().get("/login");
  const auto form = "name=alice&password=wrong&csrf=" + form_field(page.body, "csrf");
  const auto wrong = anonymous().send(
      http::verb::post, "/login", form,
      {{"Cookie", cookie_of(page)}, {"Content-Type", "application/x-www-form-urlencoded"}});
  BOOST_TEST(wrong.status == 401);
  const auto forged = anonymous().send(
      http::verb::post, "/login", "name=alice&password=" + password + "&csrf=forged",
      {{"Cookie", cookie_of(page)}, {"Content-Type", "application/x-www-form-urlencoded"}});
  BOOST_TEST(forged.status == 403);
}

BOOST_AUTO_TEST_CASE(forms_without_the_session_csrf_token_are_refused) {
  const auto browser = log_in();
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning, {{"Idempotency-Key", "w"}}).status, 201);
  BOOST_TEST(browser.post("/warnings/1/acknowledge", "").status == 403);
  BOOST_TEST(browser.post("/warnings/1/acknowledge", "csrf=guess").status == 403);
  BOOST_TEST(service().data().open_warnings()->size() == 1u);
}

BOOST_AUTO_TEST_CASE(warning_screen_shows_the_window_and_applies_the_suggestion) {
  const auto browser = log_in();
  BOOST_TEST(browser.get("/warnings").body.find("No open overload warnings") != std::string::npos);
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning, {{"Idempotency-Key", "w"}}).status, 201);
  const auto page = browser.get("/warnings");
  BOOST_REQUIRE_EQUAL(page.status, 200);
  BOOST_TEST(page.body.find("2026-12-01 10:05 UTC – 2026-12-01 10:10 UTC") != std::string::npos);
  BOOST_TEST(page.body.find("3 / 2") != std::string::npos);
  BOOST_TEST(page.body.find("det-1") != std::string::npos);
  const auto csrf = form_field(page.body, "csrf");
  const auto applied = browser.post("/warnings/1/apply", "csrf=" + csrf);
  BOOST_REQUIRE_EQUAL(applied.status, 303);
  BOOST_TEST(applied.header("Location").find("applied=1&refused=0") != std::string::npos);
  BOOST_TEST(client().get("/api/v1/jobs/j3").json().at("start") == "2026-12-01T10:15:00Z");
  BOOST_TEST(browser.get("/warnings").body.find("No open overload warnings") != std::string::npos);
  // A second click replays the first answer and moves nothing.
  BOOST_TEST(browser.post("/warnings/1/apply", "csrf=" + csrf).status == 303);
  BOOST_TEST(client().get("/api/v1/jobs/j3").json().at("version") == 2);
  const auto schedule = browser.get(applied.header("Location"));
  BOOST_TEST(schedule.body.find("Moved 1 job(s)") != std::string::npos);
  BOOST_TEST(schedule.body.find("data-peak=\"2\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_warning_whose_suggestion_is_null_shows_without_one) {
  // The API accepts a null suggested_adjustment as none; the screen once threw on it.
  auto without = nlohmann::json::parse(warning);
  without["suggested_adjustment"] = nullptr;
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", without.dump(), {{"Idempotency-Key", "n"}}).status,
      201);
  const auto browser = log_in();
  const auto page = browser.get("/warnings");
  BOOST_REQUIRE_EQUAL(page.status, 200);
  BOOST_TEST(page.body.find("3 / 2") != std::string::npos);
  BOOST_TEST(page.body.find("Apply suggested adjustment") == std::string::npos);
  BOOST_TEST(browser.post("/warnings/1/apply", "csrf=" + form_field(page.body, "csrf")).status ==
             400);
}

BOOST_AUTO_TEST_CASE(schedule_previews_a_move_then_confirms_it) {
  const auto browser = log_in();
  const std::string view = "/schedule?proxy=px-a&from=2026-12-01T09:00:00Z&to=2026-12-01T12:00:00Z";
  const auto before = browser.get(view);
  BOOST_REQUIRE_EQUAL(before.status, 200);
  BOOST_TEST(before.body.find("data-peak=\"3\"") != std::string::npos);
  BOOST_TEST(before.body.find("id=\"load-preview\"") == std::string::npos);

  const auto preview = browser.get(view + "&move.j3=on&new_start=2026-12-01T11:00");
  BOOST_REQUIRE_EQUAL(preview.status, 200);
  BOOST_TEST(preview.body.find("id=\"load-preview\"") != std::string::npos);
  BOOST_TEST(preview.body.find("data-preview-peak=\"2\"") != std::string::npos);
  BOOST_TEST(client().get("/api/v1/jobs/j3").json().at("version") == 1);  // Nothing changed yet.

  const auto confirm = form_field(preview.body, "job\\.j3");
  BOOST_REQUIRE(!confirm.empty());
  const auto done = browser.post(
      "/schedule/move", "csrf=" + form_field(preview.body, "csrf") +
                            "&proxy=px-a&from=2026-12-01T09%3A00%3A00Z&to=2026-12-01T12%3A00%3A00Z"
                            "&job.j3=" +
                            confirm);
  BOOST_REQUIRE_EQUAL(done.status, 303);
  BOOST_TEST(client().get("/api/v1/jobs/j3").json().at("start") == "2026-12-01T11:00:00Z");
  BOOST_TEST(browser.get(view).body.find("data-peak=\"2\"") != std::string::npos);

  // The same confirm again is refused: the job is no longer at that version.
  const auto stale = browser.post("/schedule/move", "csrf=" + form_field(preview.body, "csrf") +
                                                        "&proxy=px-a&from=2026-12-01T09%3A00%3A00Z"
                                                        "&to=2026-12-01T12%3A00%3A00Z&job.j3=" +
                                                        confirm);
  BOOST_TEST(stale.header("Location").find("applied=0&refused=1") != std::string::npos);
  const auto history = browser.get("/history");
  BOOST_TEST(history.body.find("alice") != std::string::npos);
  BOOST_TEST(history.body.find("refused") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_schedule_parameters_are_shown_not_crashed_on) {
  const auto browser = log_in();
  BOOST_TEST(browser.get("/schedule?proxy=nope").status == 404);
  BOOST_TEST(browser.get("/schedule?proxy=px-a&from=garbage").status == 400);
  BOOST_TEST(browser.get("/schedule?proxy=px-a&move.j3=on").status == 400);
}

BOOST_AUTO_TEST_CASE(logout_ends_the_session) {
  const auto browser = log_in();
  const auto csrf = form_field(browser.get("/warnings").body, "csrf");
  BOOST_TEST(browser.post("/logout", "csrf=" + csrf).status == 303);
  BOOST_TEST(browser.get("/warnings").status == 303);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
