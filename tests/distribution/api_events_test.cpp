// Notifications (claim 4) and adjustments (claim 7): idempotent retries, and moves refused
// with 409 when the job changed meanwhile.
#include <boost/test/unit_test.hpp>

#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {
namespace {

const std::string warning =
    R"({"detector": "det-1", "proxy": "px-a", "sent_at": "2026-11-30T12:00:00Z",
  "windows": [{"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T10:15:00Z", "peak": 3, "threshold": 2,
               "jobs": ["j1", "j2", "j3"]}],
  "suggested_adjustment": {"moves": [{"job": "j3", "from": "2026-12-01T10:05:00Z",
                                      "to": "2026-12-01T10:15:00Z", "version": 1}]}})";

std::map<std::string, std::string> key(const std::string& k) { return {{"Idempotency-Key", k}}; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_events, server_fixture)

BOOST_AUTO_TEST_CASE(notification_retry_with_the_same_key_returns_the_first_answer) {
  import_small_fleet();
  const auto c = client();
  const auto first = c.post("/api/v1/notifications", warning, key("n-1"));
  BOOST_REQUIRE_EQUAL(first.status, 201);
  BOOST_TEST(first.json().at("proxy") == "px-a");
  now = now + 60;
  // The same document with other whitespace and key order is the same request.
  auto reordered = nlohmann::json::parse(warning);
  const auto retry = c.post("/api/v1/notifications", reordered.dump(2), key("n-1"));
  BOOST_TEST(retry.status == 201);
  BOOST_TEST(retry.body == first.body);
  BOOST_TEST(retry.header("Idempotent-Replayed") == "true");
  BOOST_TEST(c.get("/api/v1/notifications").json().at("items").size() == 1u);
}

BOOST_AUTO_TEST_CASE(notification_key_reused_with_another_body_is_422) {
  const auto c = client();
  BOOST_REQUIRE_EQUAL(c.post("/api/v1/notifications", warning, key("n-2")).status, 201);
  auto other = nlohmann::json::parse(warning);
  other["proxy"] = "px-b";
  const auto r = c.post("/api/v1/notifications", other.dump(), key("n-2"));
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.json().at("path") == "Idempotency-Key");
  BOOST_TEST(c.get("/api/v1/notifications").json().at("items").size() == 1u);
}

BOOST_AUTO_TEST_CASE(notification_without_a_key_is_400) {
  const auto r = client().post("/api/v1/notifications", warning);
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.json().at("path") == "Idempotency-Key");
}

BOOST_AUTO_TEST_CASE(notification_fields_are_checked_by_path) {
  auto bad = nlohmann::json::parse(warning);
  bad["windows"][0]["end"] = "2026-12-01T09:00:00Z";
  auto r = client().post("/api/v1/notifications", bad.dump(), key("n-3"));
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.json().at("path") == "windows[0].end");
  bad = nlohmann::json::parse(warning);
  bad["suggested_adjustment"]["moves"][0].erase("version");
  r = client().post("/api/v1/notifications", bad.dump(), key("n-4"));
  BOOST_TEST(r.json().at("path") == "suggested_adjustment.moves[0].version");
}

BOOST_AUTO_TEST_CASE(the_latest_notification_per_proxy_is_the_current_view) {
  import_small_fleet();
  const auto c = client();
  BOOST_REQUIRE_EQUAL(c.post("/api/v1/notifications", warning, key("a")).status, 201);
  BOOST_REQUIRE_EQUAL(service().data().open_warnings()->size(), 1u);
  BOOST_REQUIRE_EQUAL(c.post("/api/v1/notifications",
                             R"({"detector": "det-1", "proxy": "px-a", "windows": []})", key("b"))
                          .status,
                      201);
  BOOST_TEST(service().data().open_warnings()->empty());
  const auto listed = c.get("/api/v1/notifications?proxy=px-a&limit=1").json();
  BOOST_TEST(listed.at("items")[0].at("windows").empty());
  BOOST_TEST(!listed.at("next_cursor").is_null());
}

BOOST_AUTO_TEST_CASE(adjustment_applies_current_moves_and_refuses_stale_ones) {
  import_small_fleet();
  const auto c = client();
  // An operator moves j2 first: the detector's move of j2 at version 1 is now stale.
  BOOST_REQUIRE_EQUAL(
      c.patch("/api/v1/jobs/j2", R"({"version": 1, "start": "2026-12-01T12:00:00Z"})").status, 200);
  const auto body = R"({"source": "det-1", "moves": [
      {"job": "j3", "from": "2026-12-01T10:05:00Z", "to": "2026-12-01T10:15:00Z", "version": 1},
      {"job": "j2", "from": "2026-12-01T10:00:00Z", "to": "2026-12-01T10:30:00Z", "version": 1},
      {"job": "gone", "from": "2026-12-01T10:00:00Z", "to": "2026-12-01T10:30:00Z", "version": 1}]})";
  const auto r = c.post("/api/v1/adjustments", body, key("adj-1"));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  const auto answer = r.json();
  BOOST_TEST(answer.at("applied") == 1);
  BOOST_TEST(answer.at("refused") == 2);
  BOOST_TEST(answer.at("results")[0].at("result") == "applied");
  BOOST_TEST(answer.at("results")[0].at("version") == 2);
  BOOST_TEST(answer.at("results")[1].at("problem").at("status") == 409);
  BOOST_TEST(answer.at("results")[2].at("problem").at("status") == 404);
  BOOST_TEST(c.get("/api/v1/jobs/j3").json().at("start") == "2026-12-01T10:15:00Z");
  BOOST_TEST(c.get("/api/v1/jobs/j2").json().at("start") == "2026-12-01T12:00:00Z");

  // A retry applies nothing again.
  const auto retry = c.post("/api/v1/adjustments", body, key("adj-1"));
  BOOST_TEST(retry.body == r.body);
  BOOST_TEST(c.get("/api/v1/jobs/j3").json().at("version") == 2);
  const auto history = c.get("/api/v1/adjustments").json().at("items");
  BOOST_REQUIRE_EQUAL(history.size(), 1u);
  BOOST_TEST(history[0].at("actor") == "det-1");
  BOOST_TEST(c.post("/api/v1/adjustments", body).status == 400);
  BOOST_TEST(c.post("/api/v1/adjustments", R"({"moves": []})", key("adj-2")).json().at("path") ==
             "moves");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
