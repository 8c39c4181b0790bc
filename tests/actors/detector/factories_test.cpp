// Every detector actor is spawned through a factory that validates its settings and its
// peers: a bad setting, a missing clock or a missing peer is refused with an error that
// names it, and nothing is spawned.
#define BOOST_TEST_MODULE detector factories
#include <boost/test/unit_test.hpp>

#include "actors/detector/adjuster.hpp"
#include "actors/detector/load_detector.hpp"
#include "actors/detector/node_registry.hpp"
#include "actors/detector/schedule_fetcher.hpp"
#include "actors/detector/status_reporter.hpp"
#include "bus/errors.hpp"
#include "tests/support/detector_fixture.hpp"

using namespace headroom;

namespace {

template <class Expected>
std::string refusal(const Expected& spawned) {
  return spawned ? std::string{"spawned"} : headroom::describe(spawned.error());
}

/// A notifier that takes everything and answers an empty status.
detector::notifier_actor::behavior_type quiet_notifier() {
  return {[](const distribution_api::notification_record&) {},
          [](const distribution_api::adjustment_record&) {},
          [](atom::status) { return detector::outbox_status{}; }};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(detector_factories, test::detector_fixture)

BOOST_AUTO_TEST_CASE(the_fetcher_needs_good_settings_a_clock_and_a_client) {
  auto client =
      keep(system.spawn(test::scripted_client, std::make_shared<test::scripted_distribution>()));
  detector::fetcher_config c;
  c.clock = domain::wall_clock::fixed(0);
  c.backoff_max = c.backoff_min / 2;
  BOOST_TEST(
      refusal(detector::spawn_schedule_fetcher(system, c, client)).find("fetch.backoff_max_ms") !=
      std::string::npos);
  c = {};
  BOOST_TEST(refusal(detector::spawn_schedule_fetcher(system, c, client)).find("wall clock") !=
             std::string::npos);
  c.clock = domain::wall_clock::fixed(0);
  BOOST_TEST(refusal(detector::spawn_schedule_fetcher(system, c, {})).find("distribution client") !=
             std::string::npos);
  auto fetcher = detector::spawn_schedule_fetcher(system, c, client);
  BOOST_REQUIRE(fetcher);
  keep(*fetcher);
  BOOST_TEST(refusal(detector::spawn_node_registry(system, {}, {})).find("schedule fetcher") !=
             std::string::npos);
  detector::node_registry_config early;
  early.publish_delay = -std::chrono::milliseconds{1};
  BOOST_TEST(
      refusal(detector::spawn_node_registry(system, early, *fetcher)).find("publish_delay") !=
      std::string::npos);
  auto registry = detector::spawn_node_registry(system, {}, *fetcher);
  BOOST_REQUIRE(registry);
  keep(*registry);
}

BOOST_AUTO_TEST_CASE(the_adjuster_and_the_load_detectors_need_their_settings_and_peers) {
  auto notifier = keep(system.spawn(quiet_notifier));
  const auto clock = domain::wall_clock::fixed(0);
  BOOST_TEST(refusal(detector::spawn_adjuster(system, {"det-1", detector::detector_mode::warn, {}},
                                              notifier))
                 .find("clock") != std::string::npos);
  BOOST_TEST(refusal(detector::spawn_adjuster(system, {"", detector::detector_mode::warn, clock},
                                              notifier))
                 .find("detector.id") != std::string::npos);
  BOOST_TEST(
      refusal(detector::spawn_adjuster(system, {"det-1", detector::detector_mode::warn, clock}, {}))
          .find("notifier") != std::string::npos);
  auto adjuster =
      detector::spawn_adjuster(system, {"det-1", detector::detector_mode::warn, clock}, notifier);
  BOOST_REQUIRE(adjuster);
  keep(*adjuster);
  BOOST_TEST(refusal(detector::spawn_load_detector(system, {2, 2}, *adjuster)).find("shard") !=
             std::string::npos);
  BOOST_TEST(
      refusal(detector::spawn_load_detector(system, {0, 0}, *adjuster)).find("detection.shards") !=
      std::string::npos);
  BOOST_TEST(refusal(detector::spawn_load_detector(system, {0, 1}, {})).find("adjuster") !=
             std::string::npos);
  auto detector = detector::spawn_load_detector(system, {1, 2}, *adjuster);
  BOOST_REQUIRE(detector);
  keep(*detector);
}

BOOST_AUTO_TEST_CASE(the_status_reporter_needs_every_part_it_asks) {
  detector::status_reporter_config c{"det-1", "warn", 0, std::chrono::seconds{2}};
  BOOST_TEST(refusal(detector::spawn_status_reporter(system, c, {})).find("part to ask") !=
             std::string::npos);
  c.timeout = caf::timespan{0};
  BOOST_TEST(refusal(detector::spawn_status_reporter(system, c, {})).find("timeout") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
