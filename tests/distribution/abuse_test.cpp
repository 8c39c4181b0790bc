// What a client that keeps coming cannot do: guess passwords at speed (failed logins are
// limited per operator and per address, with a 429 that says when to retry), or grow the
// idempotency table without bound (keys expire, by the injected clock).
#include <boost/test/unit_test.hpp>

#include "tests/support/operator_login.hpp"

namespace headroom::test {
namespace {

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

struct abuse_fixture : server_fixture {
  abuse_fixture() {
    import_small_fleet();
    alice = *service().add_operator("alice");
    bob = *service().add_operator("bob");
  }

  void limits(int per_account, int per_address, int window_s, int tracked = 10'000,
              std::vector<std::string> proxies = {}) {
    configure = [=](distribution::distribution_config& c) {
      c.login_failures_per_account = per_account;
      c.login_failures_per_address = per_address;
      c.login_window_seconds = window_s;
      c.login_tracked_keys = tracked;
      c.trusted_proxies = proxies;
    };
    restart();
  }

  std::string alice, bob;
};

const std::string warning = R"({"detector": "det-1", "proxy": "px-a", "windows": [
  {"start": "2026-12-01T10:05:00Z", "end": "2026-12-01T10:10:00Z", "peak": 3, "threshold": 2,
   "jobs": ["j1", "j2", "j3"]}]})";
const std::string other_warning = R"({"detector": "det-1", "proxy": "px-b", "windows": []})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_abuse, abuse_fixture)

BOOST_AUTO_TEST_CASE(failed_logins_lock_the_operator_with_429_and_retry_after) {
  limits(3, 100, 600);
  const auto form = login_form::fetch(*this);
  for (int i = 0; i < 3; ++i) BOOST_TEST(form.post(*this, "alice", "wrong").status == 401);
  // Locked: even the right password is refused, before it is checked.
  const auto locked = form.post(*this, "alice", alice);
  BOOST_TEST(locked.status == 429);
  BOOST_TEST(locked.header("Retry-After") == "600");
  BOOST_TEST(has(locked.body, "Too many failed logins for this operator"), locked.body);
  BOOST_TEST(has(locked.body, "Try again in 10 minute(s), after 2026-11-30 12:10"), locked.body);
  BOOST_TEST(locked.header("Set-Cookie").find("headroom_session") == std::string::npos);
  // Another operator from the same address is not affected.
  BOOST_TEST(form.post(*this, "bob", bob).status == 303);
  // The lockout ends with the window, by the server's clock.
  now += 300;
  const auto later = form.post(*this, "alice", alice);
  BOOST_TEST(later.status == 429);
  BOOST_TEST(later.header("Retry-After") == "300");
  now += 300;
  BOOST_TEST(form.post(*this, "alice", alice).status == 303);
  // A success starts the operator afresh.
  for (int i = 0; i < 2; ++i) BOOST_TEST(form.post(*this, "alice", "wrong").status == 401);
  BOOST_TEST(form.post(*this, "alice", alice).status == 303);
  const auto metrics = client().get("/metrics").body;
  BOOST_TEST(has(metrics, "headroom_login_refusals_total 2"), metrics);
}

BOOST_AUTO_TEST_CASE(failed_logins_lock_the_address_whatever_the_names) {
  // 127.0.0.1 is a trusted proxy: the client address is its X-Forwarded-For.
  limits(100, 3, 600, 10'000, {"127.0.0.1"});
  const std::map<std::string, std::string> from_a{{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"}};
  const std::map<std::string, std::string> from_b{{"X-Forwarded-For", "203.0.113.8"}};
  const auto form = login_form::fetch(*this);
  for (const auto* name : {"mallory", "trent", "eve"})
    BOOST_TEST(form.post(*this, name, "guess", from_a).status == 401);
  const auto locked = form.post(*this, "alice", alice, from_a);
  BOOST_TEST(locked.status == 429);
  BOOST_TEST(has(locked.body, "Too many failed logins from your address"), locked.body);
  BOOST_TEST(!locked.header("Retry-After").empty());
  // Another client behind the same proxy logs in.
  BOOST_TEST(form.post(*this, "alice", alice, from_b).status == 303);
  BOOST_TEST(has(logs(), "login refused (429) from 203.0.113.7"), logs());
}

BOOST_AUTO_TEST_CASE(the_login_limiter_forgets_old_entries_and_stays_bounded) {
  limits(5, 100'000, 60, 10);
  const auto form = login_form::fetch(*this);
  for (int i = 0; i < 40; ++i)
    BOOST_TEST(form.post(*this, "nobody-" + std::to_string(i), "guess").status == 401);
  BOOST_TEST(service().login_limiter_entries() <= 10u);
  // Past the window, a full table drops every expired entry to make room.
  now += 61;
  BOOST_TEST(form.post(*this, "nobody-new", "guess").status == 401);
  BOOST_TEST(service().login_limiter_entries() == 2u);  // the name and the address
  BOOST_TEST(form.post(*this, "alice", alice).status == 303);
}

BOOST_AUTO_TEST_CASE(idempotency_keys_expire_after_the_configured_hours) {
  configure = [](distribution::distribution_config& c) { c.idempotency_key_hours = 24; };
  restart();
  const auto post = [&](const std::string& key, const std::string& body) {
    return client().post("/api/v1/notifications", body, {{"Idempotency-Key", key}});
  };
  const auto first = post("k1", warning);
  BOOST_REQUIRE_EQUAL(first.status, 201);
  // Within the day a retry gets the first answer, and the key cannot be reused.
  now += 23 * 3600;
  const auto retry = post("k1", warning);
  BOOST_TEST(retry.status == 201);
  BOOST_TEST(retry.header("Idempotent-Replayed") == "true");
  BOOST_TEST(retry.json()["id"] == first.json()["id"]);
  BOOST_TEST(post("k1", other_warning).status == 422);
  BOOST_TEST(service().data().stats()->idempotency_keys == 1);
  // A day and a second after it was stored, the next keyed write drops it.
  now += 3600 + 1;
  BOOST_TEST(post("k2", other_warning).status == 201);
  BOOST_TEST(service().data().stats()->idempotency_keys == 1);
  const auto fresh = post("k1", other_warning);
  BOOST_TEST(fresh.status == 201);
  BOOST_TEST(fresh.header("Idempotent-Replayed").empty());
  BOOST_TEST(fresh.json()["id"] != first.json()["id"]);
  // Adjustments share the table and the rule.
  const auto adjust = [&](const std::string& key) {
    return client().post("/api/v1/adjustments", R"({"moves": [{"job": "j4",
      "from": "2026-12-01T14:00:00Z", "to": "2026-12-01T15:00:00Z", "version": 1}]})",
                         {{"Idempotency-Key", key}});
  };
  BOOST_TEST(adjust("a1").status == 200);
  BOOST_TEST(service().data().stats()->idempotency_keys == 3);
  now += 24 * 3600 + 1;
  BOOST_TEST(adjust("a2").status == 200);
  BOOST_TEST(service().data().stats()->idempotency_keys == 1);
}

BOOST_AUTO_TEST_CASE(a_shorter_key_lifetime_is_a_setting) {
  configure = [](distribution::distribution_config& c) { c.idempotency_key_hours = 1; };
  restart();
  const auto post = [&](const std::string& key) {
    return client().post("/api/v1/notifications", warning, {{"Idempotency-Key", key}});
  };
  BOOST_REQUIRE_EQUAL(post("k1").status, 201);
  now += 3600 + 1;
  const auto again = post("k1");
  BOOST_TEST(again.status == 201);
  BOOST_TEST(again.header("Idempotent-Replayed").empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
