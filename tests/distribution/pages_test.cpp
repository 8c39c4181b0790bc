// The operator pages over HTTP: login with CSRF, the warning screen (summary, a chart per
// window, jobs folded, times in the display zone beside UTC), applying a suggested
// adjustment, previewing and confirming a move, and the history.
#include <boost/test/unit_test.hpp>
#include <regex>

#include "distribution/pages/html.hpp"
#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {
namespace {

const std::string warning = R"({"detector": "det-1", "proxy": "px-a",
  "windows": [{"start": "2026-12-01T10:05:00Z", "end": "2026-12-01T10:10:00Z", "peak": 3, "threshold": 2,
               "jobs": ["j1", "j2", "j3"]}],
  "suggested_adjustment": {"moves": [{"job": "j3", "from": "2026-12-01T10:05:00Z",
                                      "to": "2026-12-01T10:15:00Z", "version": 1}]}})";

/// Two proxies' warnings: px-a with two windows sharing j3, px-b with one; six distinct jobs.
const std::string warning_px_a = R"({"detector": "det-1", "proxy": "px-a",
  "windows": [{"start": "2026-12-01T10:05:00Z", "end": "2026-12-01T10:10:00Z", "peak": 3, "threshold": 2,
               "jobs": ["j1", "j2", "j3"]},
              {"start": "2026-12-01T13:55:30Z", "end": "2026-12-01T14:05:00Z", "peak": 3, "threshold": 2,
               "jobs": ["j3", "j4"]}]})";
const std::string warning_px_b = R"({"detector": "det-2", "proxy": "px-b",
  "windows": [{"start": "2026-12-01T23:30:00Z", "end": "2026-12-01T23:50:00Z", "peak": 4, "threshold": 3,
               "jobs": ["j5", "j6"]}]})";

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

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
  BOOST_TEST(page.body.find("2026-12-01 10:05 – 10:10 UTC") != std::string::npos);
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

BOOST_AUTO_TEST_CASE(warning_screen_sums_up_proxies_windows_and_distinct_jobs) {
  const auto browser = log_in();
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning_px_a, {{"Idempotency-Key", "a"}}).status, 201);
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning_px_b, {{"Idempotency-Key", "b"}}).status, 201);
  const auto page = browser.get("/warnings");
  BOOST_REQUIRE_EQUAL(page.status, 200);
  // j3 is in two windows of px-a: it is one delivery at risk, not two.
  BOOST_TEST(has(page.body, "data-proxies=\"2\" data-windows=\"3\" data-jobs=\"6\""));
  BOOST_TEST(has(page.body,
                 "<strong>2 proxies</strong> overloaded in the horizon, in <strong>3 "
                 "windows</strong>: <strong>6 deliveries</strong> at risk."));
  BOOST_TEST(has(page.body, "2 windows, 4 deliveries at risk"));
  BOOST_TEST(has(page.body, "1 window, 2 deliveries at risk"));
  BOOST_TEST(count_of(page.body, "<tr class=\"warning\"") == 3u);
  // Newest first: px-b's report came last.
  BOOST_TEST(page.body.find("<h2>px-b</h2>") < page.body.find("<h2>px-a</h2>"));
}

BOOST_AUTO_TEST_CASE(warning_screen_folds_each_windows_jobs_to_a_count) {
  const auto browser = log_in();
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning_px_a, {{"Idempotency-Key", "a"}}).status, 201);
  const auto body = browser.get("/warnings").body;
  BOOST_TEST(
      has(body, "<details class=\"jobs\"><summary>3 jobs</summary><p>j1, j2, j3</p></details>"));
  BOOST_TEST(has(body, "<details class=\"jobs\"><summary>2 jobs</summary><p>j3, j4</p></details>"));
  // No job id outside a folded list: the ids appear only inside the <details>.
  BOOST_TEST(count_of(body, "j1") == 1u);
  BOOST_TEST(body.find("<script") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(warning_screen_charts_the_load_around_each_window_against_the_threshold) {
  const auto browser = log_in();
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning_px_a, {{"Idempotency-Key", "a"}}).status, 201);
  // A proxy the imported fleet does not know: its window shows, without a chart.
  auto unknown = nlohmann::json::parse(warning_px_b);
  unknown["proxy"] = "px-z";
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", unknown.dump(), {{"Idempotency-Key", "z"}}).status,
      201);
  const auto body = browser.get("/warnings").body;
  BOOST_TEST(count_of(body, "<svg class=\"window-chart\"") == 2u);
  // The first window of px-a: j1, j2 and j3 overlap, 3 devices against a threshold of 2.
  BOOST_TEST(has(body, "id=\"chart-1-0\""));
  BOOST_TEST(has(body, "data-peak=\"3\" data-threshold=\"2\""));
  BOOST_TEST(count_of(body, "class=\"threshold-line\"") == 2u);
  BOOST_TEST(count_of(body, "class=\"marked-window\"") == 2u);
  BOOST_TEST(has(body, ">peak 3</text>"));
  // The second window (13:55:30 to 14:05): only j4 runs then on px-a, under the threshold.
  BOOST_TEST(has(body, "id=\"chart-1-1\""));
  BOOST_TEST(has(body, "data-peak=\"1\" data-threshold=\"2\""));
  BOOST_TEST(has(body, "No prediction: the fleet has no proxy px-z."));
  // The schedule screen's chart keeps its ids; the small ones name their parts by class.
  BOOST_TEST(body.find("id=\"threshold-line\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(pages_show_times_in_the_display_zone_beside_utc) {
  display_time_zone = "Europe/Paris";
  restart();
  const auto browser = log_in();
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning_px_a, {{"Idempotency-Key", "a"}}).status, 201);
  BOOST_REQUIRE_EQUAL(
      client().post("/api/v1/notifications", warning_px_b, {{"Idempotency-Key", "b"}}).status, 201);
  const auto body = browser.get("/warnings").body;
  // Each window's UTC on a line of its own.
  BOOST_TEST(has(
      body, "2026-12-01 11:05 – 11:10 CET<br><small class=\"utc\">(10:05 – 10:10 UTC)</small>"));
  // Seconds where an end has them.
  BOOST_TEST(
      has(body,
          "2026-12-01 14:55:30 – 15:05:00 CET<br><small class=\"utc\">(13:55:30 – 14:05:00 UTC)"));
  // Past midnight in Paris, not in UTC: the UTC date is written.
  BOOST_TEST(has(
      body, "2026-12-02 00:30 – 00:50 CET<br><small class=\"utc\">(2026-12-01 23:30 – 23:50 UTC)"));
  BOOST_TEST(has(body, "Times are in Europe/Paris (UTC in brackets)"));
  // The receipt time (the server's clock, 2026-11-30T12:00:00Z) the same way.
  BOOST_TEST(has(body, "2026-11-30 13:00 CET (12:00 UTC)"));
  // The schedule screen's jobs with the same helper.
  const auto schedule =
      browser.get("/schedule?proxy=px-a&from=2026-12-01T09:00:00Z&to=2026-12-01T12:00:00Z").body;
  BOOST_TEST(has(schedule, "2026-12-01 11:00 CET (10:00 UTC)"));
}

BOOST_AUTO_TEST_CASE(display_times_name_the_zone_and_utc_once_each) {
  using distribution::display_span;
  using distribution::display_time;
  const auto t = [](const char* text) { return *domain::parse_rfc3339(text); };
  BOOST_TEST(display_time(t("2026-12-08T01:00:00Z"), "Europe/Paris") ==
             "2026-12-08 02:00 CET (01:00 UTC)");
  BOOST_TEST(display_time(t("2026-12-08T01:00:00Z"), "UTC") == "2026-12-08 01:00 UTC");
  BOOST_TEST(display_time(t("2026-12-08T01:00:00Z"), "Nowhere/Unknown") == "2026-12-08 01:00 UTC");
  BOOST_TEST(display_time(t("2026-12-07T23:30:00Z"), "Asia/Tokyo") ==
             "2026-12-08 08:30 JST (2026-12-07 23:30 UTC)");
  // Across the end of summer time the abbreviation changes within the span.
  BOOST_TEST(display_span({t("2026-10-25T00:30:00Z"), t("2026-10-25T01:30:00Z")}, "Europe/Paris") ==
             "2026-10-25 02:30 CEST – 02:30 CET (00:30 – 01:30 UTC)");
  BOOST_TEST(display_span({t("2026-12-07T23:00:00Z"), t("2026-12-08T01:00:00Z")}, "UTC") ==
             "2026-12-07 23:00 – 2026-12-08 01:00 UTC");
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

BOOST_AUTO_TEST_CASE(schedule_shows_how_the_deliveries_stand_as_the_devices_report_them) {
  const auto browser = log_in();
  const std::string view = "/schedule?proxy=px-a&from=2026-12-01T09:00:00Z&to=2026-12-01T12:00:00Z";
  BOOST_TEST(has(browser.get(view).body,
                 "<strong>0</strong> done, <strong class=\"ok\">0</strong> "
                 "failed, 0 running, 3 scheduled."));
  for (const auto& [job, status] : {std::pair{"j1", "done"}, {"j2", "failed"}, {"j3", "running"}}) {
    const auto r = client().send(http::verb::patch, std::string("/api/v1/jobs/") + job,
                                 std::string(R"({"version": 1, "status": ")") + status + "\"}");
    BOOST_REQUIRE_EQUAL(r.status, 200);
  }
  // Done and failed jobs no longer load the proxy: only this line shows the failure.
  BOOST_TEST(has(browser.get(view).body,
                 "<strong>1</strong> done, <strong class=\"over\">1</strong> "
                 "failed, 1 running, 0 scheduled."));
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
