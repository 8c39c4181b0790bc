// The notifier on the CAF test coordinator with a scripted distribution client: the test
// answers each delivery itself, so order, concurrency, backoff on the simulated clock,
// drops, restarts and the re-fetch after refused moves are all observable.
#define BOOST_TEST_MODULE notifier
#include "actors/detector/notifier.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <deque>
#include <nlohmann/json.hpp>

#include "detector/detector_errors.hpp"
#include "tests/support/detector_fixture.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/why.hpp"

using namespace headroom;
using namespace std::chrono_literals;
using detector::detector_errc;
using detector::outbox_entry;

namespace {

// What the scripted client was asked, with the promises the test answers.
struct client_script {
  struct delivery {
    outbox_entry entry;
    caf::typed_response_promise<distribution_api::adjustment_outcome> promise;
  };
  std::deque<delivery> open;      ///< Not answered yet, in arrival order.
  std::vector<outbox_entry> all;  ///< Every delivery attempt.
  int unexpected = 0;             ///< Requests the notifier must never make.
};

// The test's own handlers: answer the oldest open delivery. A promise is delivered from
// inside its actor, as CAF requires.
using answer_atom = caf::atom_constant<caf::atom("answer")>;
using scripted_client_actor = detector::distribution_client_actor::extend<
    caf::reacts_to<answer_atom, distribution_api::adjustment_outcome>,
    caf::reacts_to<answer_atom, caf::error>>;

scripted_client_actor::behavior_type scripted_client(scripted_client_actor::pointer self,
                                                     std::shared_ptr<client_script> script) {
  const auto refuse = [script] {
    script->unexpected++;
    return caf::make_error(caf::sec::unexpected_message);
  };
  return {
      [refuse](atom::fetch_inventory) -> caf::result<distribution_api::inventory> {
        return refuse();
      },
      [refuse](atom::fetch_devices) -> caf::result<distribution_api::inventory> {
        return refuse();
      },
      [refuse](atom::fetch_services) -> caf::result<distribution_api::inventory> {
        return refuse();
      },
      [refuse](atom::fetch_jobs, domain::instant, std::int64_t)
          -> caf::result<std::vector<distribution_api::job_record>> { return refuse(); },
      [refuse](atom::put_topology, const distribution_api::topology_record&)
          -> caf::result<std::vector<std::string>> { return refuse(); },
      [self, script](atom::deliver, const outbox_entry& e) {
        auto promise = self->make_response_promise<distribution_api::adjustment_outcome>();
        script->open.push_back({e, promise});
        script->all.push_back(e);
        return promise;
      },
      [script](answer_atom, distribution_api::adjustment_outcome& outcome) {
        auto d = script->open.front();
        script->open.pop_front();
        d.promise.deliver(std::move(outcome));
      },
      [script](answer_atom, caf::error& err) {
        auto d = script->open.front();
        script->open.pop_front();
        d.promise.deliver(std::move(err));
      },
  };
}

// Counts fetch_now; anything else is unexpected.
struct fetcher_log {
  int fetch_now = 0;
  int unexpected = 0;
};

detector::schedule_fetcher_actor::behavior_type counting_fetcher(
    detector::schedule_fetcher_actor::pointer, std::shared_ptr<fetcher_log> log) {
  return {
      [log](const detector::topology_view&) { log->unexpected++; },
      [log](const std::vector<detector::load_detector_actor>&) { log->unexpected++; },
      [log](atom::fetch_now) { log->fetch_now++; },
      [log](const std::string&, const messages::observed_duration&) { log->unexpected++; },
      [log](atom::status) {
        log->unexpected++;
        return detector::fetch_status{};
      },
  };
}

// A notification whose news (its window) differs with SENT_AT.
distribution_api::notification_record notification(const std::string& proxy,
                                                   domain::instant sent_at) {
  distribution_api::notification_record n;
  n.proxy = proxy;
  n.sent_at = sent_at;
  n.windows = {{10'000 + sent_at, 20'000, 3, 2, {"j1", "j2", "j3"}}};
  return n;
}

struct notifier_fixture : test::basic_actor_fixture<test::detector_test_config> {
  test::scratch_dir dir;
  std::shared_ptr<client_script> script = std::make_shared<client_script>();
  std::shared_ptr<fetcher_log> fetched = std::make_shared<fetcher_log>();
  std::vector<std::string> logged;
  scripted_client_actor client = system.spawn(scripted_client, script);
  detector::schedule_fetcher_actor fetcher = system.spawn(counting_fetcher, fetched);
  detector::notifier_actor notifier;

  detector::notifier_config config() {
    detector::notifier_config c;
    c.db_path = dir.file("outbox.sqlite3");
    c.detector_id = "det-1";
    c.backoff_min = 1s;
    c.backoff_max = 4s;
    c.jitter = 0;
    c.log = [this](const std::string& line) { logged.push_back(line); };
    return c;
  }

  void start(detector::notifier_config c) {
    auto spawned = detector::spawn_notifier(system, std::move(c), client, fetcher);
    BOOST_REQUIRE_MESSAGE(spawned, test::why(spawned));
    notifier = *spawned;
    run();
  }
  void start() { start(config()); }

  void stop() {
    caf::anon_send_exit(notifier, caf::exit_reason::user_shutdown);
    run();
  }

  /// Answers the oldest open delivery.
  void succeed(distribution_api::adjustment_outcome outcome = {}) {
    BOOST_REQUIRE(!script->open.empty());
    caf::anon_send(client, answer_atom::value, std::move(outcome));
    run();
  }
  void fail(caf::error err) {
    BOOST_REQUIRE(!script->open.empty());
    caf::anon_send(client, answer_atom::value, std::move(err));
    run();
  }
  void fail_transiently() { fail(caf::make_error(detector_errc::server_error, "POST: HTTP 503")); }

  detector::outbox_status status() {
    std::optional<detector::outbox_status> result;
    system.spawn([this, &result](caf::event_based_actor* self) {
      self->request(notifier, caf::infinite, atom::status_v)
          .then([&result](const detector::outbox_status& s) { result = s; });
    });
    run();
    BOOST_REQUIRE(result);
    return *result;
  }

  static domain::instant sent_at_of(const outbox_entry& e) {
    return *domain::parse_rfc3339(nlohmann::json::parse(e.body).at("sent_at").get<std::string>());
  }

  ~notifier_fixture() {
    for (const auto& h :
         {caf::actor_cast<caf::actor>(notifier), caf::actor_cast<caf::actor>(client),
          caf::actor_cast<caf::actor>(fetcher)})
      if (h) caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
    run();
    BOOST_TEST(script->unexpected == 0);
    BOOST_TEST(fetched->unexpected == 0);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(notifier_suite, notifier_fixture)

BOOST_AUTO_TEST_CASE(delivers_one_proxy_in_order_one_at_a_time) {
  start();
  for (domain::instant t : {100, 200, 300}) caf::anon_send(notifier, notification("px-a", t));
  run();
  BOOST_TEST(script->open.size() == 1u);
  BOOST_TEST(status().depth == 3);
  for (domain::instant t : {100, 200, 300}) {
    BOOST_REQUIRE(script->open.size() == 1u);
    BOOST_TEST(sent_at_of(script->open.front().entry) == t);
    BOOST_TEST(script->open.front().entry.kind == "notification");
    succeed();
  }
  BOOST_TEST(script->open.empty());
  const auto s = status();
  BOOST_TEST(s.depth == 0);
  BOOST_TEST(s.delivered == 3u);
  BOOST_TEST(script->all[0].idempotency_key != script->all[1].idempotency_key);
  // The notifier fills in its own id when the detector left it empty.
  BOOST_TEST(nlohmann::json::parse(script->all[0].body).at("detector") == "det-1");
}

BOOST_AUTO_TEST_CASE(proxies_do_not_wait_for_each_other) {
  start();
  caf::anon_send(notifier, notification("px-a", 1));
  caf::anon_send(notifier, notification("px-a", 2));
  caf::anon_send(notifier, notification("px-b", 3));
  run();
  BOOST_REQUIRE(script->open.size() == 2u);
  BOOST_TEST(script->open[0].entry.proxy == "px-a");
  BOOST_TEST(script->open[1].entry.proxy == "px-b");
  fail_transiently();  // px-a waits for its backoff ...
  succeed();           // ... while px-b is delivered.
  BOOST_TEST(script->open.empty());
  advance_time(1s);
  BOOST_REQUIRE(script->open.size() == 1u);
  BOOST_TEST(sent_at_of(script->open.front().entry) == 1);
  succeed();
  BOOST_TEST(sent_at_of(script->open.front().entry) == 2);
  succeed();
  BOOST_TEST(status().delivered == 3u);
}

BOOST_AUTO_TEST_CASE(backoff_doubles_up_to_its_maximum_on_the_actor_clock) {
  start();
  caf::anon_send(notifier, notification("px-a", 1));
  run();
  for (auto wait : {1000ms, 2000ms, 4000ms, 4000ms}) {
    fail_transiently();
    BOOST_TEST(script->open.empty());
    advance_time(wait - 1ms);
    BOOST_TEST(script->open.empty(), "retried before " << wait.count() << " ms");
    advance_time(1ms);
    BOOST_TEST(script->open.size() == 1u, "not retried after " << wait.count() << " ms");
  }
  const auto key = script->all.front().idempotency_key;
  for (const auto& attempt : script->all) BOOST_TEST(attempt.idempotency_key == key);
  succeed();
  const auto s = status();
  BOOST_TEST(s.failures == 4u);
  BOOST_TEST(s.delivered == 1u);
  BOOST_TEST(s.last_error.find("HTTP 503") != std::string::npos);
  BOOST_TEST(s.depth == 0);
}

BOOST_AUTO_TEST_CASE(jitter_shortens_a_wait_by_at_most_its_share) {
  auto c = config();
  c.jitter = 0.5;
  c.jitter_seed = 42;
  c.backoff_min = 8s;
  c.backoff_max = 8s;
  start(c);
  caf::anon_send(notifier, notification("px-a", 1));
  run();
  fail_transiently();
  advance_time(4s - 1ms);
  BOOST_TEST(script->open.empty());
  advance_time(4s + 1ms);
  BOOST_TEST(script->open.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_permanent_refusal_is_dropped_counted_and_logged) {
  start();
  caf::anon_send(notifier, notification("px-a", 1));
  caf::anon_send(notifier, notification("px-a", 2));
  run();
  fail(caf::make_error(detector_errc::rejected,
                       "POST /api/v1/notifications: HTTP 400 at windows[0].end"));
  BOOST_REQUIRE(script->open.size() == 1u);
  BOOST_TEST(sent_at_of(script->open.front().entry) == 2);
  succeed();
  const auto s = status();
  BOOST_TEST(s.dropped == 1u);
  BOOST_TEST(s.delivered == 1u);
  BOOST_TEST(s.depth == 0);
  BOOST_REQUIRE(logged.size() == 1u);
  BOOST_TEST(logged[0].find("dropped notification #1 for proxy 'px-a'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_outbox_survives_a_restart_and_delivers_once_in_order) {
  start();
  for (domain::instant t : {1, 2, 3}) caf::anon_send(notifier, notification("px-a", t));
  caf::anon_send(notifier, notification("px-b", 4));
  run();
  BOOST_REQUIRE(script->open.size() == 2u);
  const auto first_key = script->open[0].entry.idempotency_key;
  succeed();  // px-a #1 arrives; px-a #2 goes out and is left unanswered by the crash.
  BOOST_REQUIRE(script->open.size() == 2u);
  stop();
  script->open.clear();
  script->all.clear();

  start();
  BOOST_TEST(status().depth == 3);
  std::vector<domain::instant> delivered;
  while (!script->open.empty()) {
    delivered.push_back(sent_at_of(script->open.front().entry));
    succeed();
  }
  BOOST_TEST((delivered == std::vector<domain::instant>{2, 4, 3}));
  for (const auto& e : script->all) BOOST_TEST(e.idempotency_key != first_key);
  BOOST_TEST(script->all.size() == 3u);
  BOOST_TEST(script->all[0].idempotency_key.rfind("det-1:", 0) == 0);
  BOOST_TEST(status().depth == 0);
}

BOOST_AUTO_TEST_CASE(entries_of_a_proxy_no_longer_owned_are_dropped_not_delivered) {
  // A run that owned every proxy leaves entries for px-a and px-c undelivered.
  start();
  caf::anon_send(notifier, notification("px-a", 1));
  caf::anon_send(notifier, notification("px-c", 2));
  caf::anon_send(notifier, notification("px-c", 3));
  run();
  BOOST_REQUIRE(script->open.size() == 2u);
  stop();
  script->open.clear();
  script->all.clear();

  // Restarted owning px-a only: px-c went to another detector, whose notifications the
  // old entries must not overwrite.
  auto c = config();
  c.owned_proxies = {"px-a"};
  start(c);
  BOOST_REQUIRE(script->open.size() == 1u);
  BOOST_TEST(script->open.front().entry.proxy == "px-a");
  succeed();
  const auto s = status();
  BOOST_TEST(s.delivered == 1u);
  BOOST_TEST(s.dropped == 2u);
  BOOST_TEST(s.depth == 0);
  BOOST_TEST(script->all.size() == 1u);
  BOOST_REQUIRE(logged.size() == 1u);
  BOOST_TEST(logged[0].find("dropped 2 entries for proxy 'px-c'") != std::string::npos, logged[0]);
}

BOOST_AUTO_TEST_CASE(a_resent_entry_keeps_its_idempotency_key_across_a_restart) {
  start();
  caf::anon_send(notifier, notification("px-a", 1));
  run();
  const auto key = script->open.front().entry.idempotency_key;
  stop();
  script->open.clear();
  start();
  BOOST_REQUIRE(script->open.size() == 1u);
  BOOST_TEST(script->open.front().entry.idempotency_key == key);
  succeed();
}

BOOST_AUTO_TEST_CASE(no_windows_for_a_proxy_never_warned_about_is_not_sent) {
  start();
  auto quiet = notification("px-a", 1);
  quiet.windows.clear();
  caf::anon_send(notifier, quiet);
  run();
  BOOST_TEST(script->open.empty());
  BOOST_TEST(status().unchanged == 1u);
}

BOOST_AUTO_TEST_CASE(a_delivered_adjustment_makes_the_fetcher_fetch_now) {
  start();
  distribution_api::adjustment_record plan{"", "px-a", {{"j1", 100, 200, 3}, {"j2", 100, 300, 1}}};
  caf::anon_send(notifier, plan);
  run();
  BOOST_REQUIRE(script->open.size() == 1u);
  BOOST_TEST(script->open.front().entry.kind == "adjustment");
  BOOST_TEST(nlohmann::json::parse(script->open.front().entry.body).at("source") == "det-1");
  BOOST_TEST(fetched->fetch_now == 0);
  succeed({{{"j1", true, 200, ""}, {"j2", true, 200, ""}}});
  BOOST_TEST(fetched->fetch_now == 1);  // the applied moves changed the schedule
  caf::anon_send(notifier, plan);
  run();
  succeed({{{"j1", true, 200, ""}, {"j2", false, 409, "changed meanwhile"}}});
  BOOST_TEST(fetched->fetch_now == 2);  // and a refused one means the plan was stale
}

BOOST_AUTO_TEST_CASE(the_same_news_is_not_sent_twice_even_by_a_restarted_detector) {
  start();
  auto n = notification("px-a", 1);
  caf::anon_send(notifier, n);
  run();
  succeed();
  n.sent_at = 2;
  caf::anon_send(notifier, n);
  run();
  BOOST_TEST(script->open.empty());
  stop();
  start();
  n.sent_at = 3;
  caf::anon_send(notifier, n);
  run();
  BOOST_TEST(script->open.empty());
  BOOST_TEST(status().unchanged == 1u);
  // Cleared windows are news.
  n.windows.clear();
  caf::anon_send(notifier, n);
  run();
  BOOST_REQUIRE(script->open.size() == 1u);
  BOOST_TEST(nlohmann::json::parse(script->open.front().entry.body).at("windows").empty());
  succeed();
}

BOOST_AUTO_TEST_CASE(news_that_was_dropped_may_be_sent_again) {
  start();
  auto n = notification("px-a", 1);
  caf::anon_send(notifier, n);
  run();
  fail(caf::make_error(detector_errc::rejected, "HTTP 400"));
  n.sent_at = 2;
  caf::anon_send(notifier, n);
  run();
  BOOST_REQUIRE(script->open.size() == 1u);
  succeed();
  BOOST_TEST(status().dropped == 1u);
}

BOOST_AUTO_TEST_CASE(refuses_a_config_that_cannot_work) {
  auto c = config();
  c.backoff_max = 10ms;
  auto spawned = detector::spawn_notifier(system, c, client, fetcher);
  BOOST_REQUIRE(!spawned);
  BOOST_TEST(headroom::describe(spawned.error()).find("backoff_max") != std::string::npos);
  c = config();
  c.detector_id.clear();
  BOOST_TEST(!detector::spawn_notifier(system, c, client, fetcher));
}

BOOST_AUTO_TEST_SUITE_END()
