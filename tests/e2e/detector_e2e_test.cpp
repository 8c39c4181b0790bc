// End to end on 127.0.0.1: the reference distribution system with a fleet, one detector,
// three stand-in nodes announcing the fleet's devices over the bus. The detector must find
// exactly `headroom check`'s windows; warn mode must put them on the distribution system;
// auto mode must leave nothing a movable job could fix; and with the distribution system
// and then the detector stopped and restarted while notifications are pending, every
// notification must arrive exactly once.
#define BOOST_TEST_MODULE detector end to end
#include <boost/test/unit_test.hpp>

#include "distribution/store/store.hpp"
#include "domain/adjuster.hpp"
#include "tests/support/e2e_fixture.hpp"

using namespace headroom;
using namespace std::chrono_literals;
using test::eventually;

BOOST_FIXTURE_TEST_SUITE(e2e, test::e2e_fixture)

BOOST_AUTO_TEST_CASE(warn_mode_finds_the_windows_check_finds_and_warns_the_operator) {
  BOOST_REQUIRE(!expected.empty());
  BOOST_REQUIRE_EQUAL(fleet.proxies.size(), 3u);
  start_detector(detector::detector_mode::warn);
  start_nodes();
  BOOST_TEST(eventually([&] { return detector_windows() == expected; }));
  for (const auto& [proxy, windows] : expected) {
    BOOST_TEST_CONTEXT("proxy " << proxy) {
      BOOST_TEST(eventually([&, p = proxy] { return !notifications(p).empty(); }));
      auto received = notifications(proxy);
      BOOST_REQUIRE(!received.empty());
      BOOST_TEST(received.back() == windows);
    }
  }
  auto warnings = distribution().data().open_warnings();
  BOOST_REQUIRE(warnings);
  BOOST_TEST(warnings->size() == expected.size());
  // Each warning carries the adjuster's suggestion, so the operator can apply it in one action.
  for (const auto& w : *warnings)
    BOOST_TEST(w.body.find("suggested_adjustment") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(auto_mode_applies_plans_until_no_movable_job_causes_a_window) {
  start_detector(detector::detector_mode::automatic);
  start_nodes();
  BOOST_TEST(eventually([&] { return adjustments() > 0; }));
  const auto settled = [&] {
    auto now = distribution().data().export_fleet(true);
    if (!now) return false;
    now->horizon = domain::effective_horizon(fleet);
    const auto counting = domain::count_communications(*now);
    const auto before =
        domain::detect(*now, counting, domain::requested_schedule(*now), *now->horizon);
    return domain::adjust(*now, counting, before).moved.empty();
  };
  BOOST_TEST(eventually(settled));
  auto report = detector().report();
  BOOST_REQUIRE(report);
  BOOST_REQUIRE(report->outbox);
  BOOST_TEST(report->outbox->failures == 0u);
}

BOOST_AUTO_TEST_CASE(pending_notifications_arrive_exactly_once_across_restarts) {
  start_detector(detector::detector_mode::warn);
  // The detector has a good snapshot of the schedule, then the distribution system goes away.
  BOOST_TEST(eventually([&] {
    auto r = detector().report();
    return r && r->fetch && r->fetch->last_success != 0;
  }));
  stop_distribution();

  // The nodes announce: the detector detects on its snapshot; nothing can be delivered.
  start_nodes();
  const auto pending = static_cast<std::int64_t>(expected.size());
  BOOST_TEST(eventually([&] {
    auto r = detector().report();
    return r && r->outbox && r->outbox->depth == pending;
  }));

  // The detector restarts too, with the notifications still pending in its outbox.
  stop_detector();
  start_detector(detector::detector_mode::warn);
  // It retries against the dead address a few times.
  BOOST_TEST(eventually([&] {
    auto r = detector().report();
    return r && r->outbox && r->outbox->failures >= 3;
  }));

  start_distribution();
  BOOST_TEST(eventually([&] {
    auto r = detector().report();
    return r && r->outbox && r->outbox->depth == 0 && detector_windows() == expected;
  }));
  // Several fetch rounds more: nothing new must be sent.
  const auto now = detector().report();
  BOOST_REQUIRE(now && now->fetch);
  const auto fetches = now->fetch->fetches;
  BOOST_TEST(eventually([&] {
    auto r = detector().report();
    return r && r->fetch && r->outbox && r->fetch->fetches >= fetches + 3 && r->outbox->depth == 0;
  }));
  for (const auto& [proxy, windows] : expected) {
    BOOST_TEST_CONTEXT("proxy " << proxy) {
      auto received = notifications(proxy);
      BOOST_REQUIRE_EQUAL(received.size(), 1u);
      BOOST_TEST(received.front() == windows);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
