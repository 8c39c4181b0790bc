// The node registry on CAF's test coordinator: announcements become one debounced
// topology for the fetcher; stale nodes mark their proxies stale; direct-mode devices
// load no proxy.
#define BOOST_TEST_MODULE node registry
#include "actors/detector/node_registry.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/detector_fixture.hpp"

using namespace headroom;
using namespace std::chrono_literals;

namespace {

struct fetcher_log {
  std::vector<detector::topology_view> topologies;
  std::vector<messages::observed_duration> observed;
};

detector::schedule_fetcher_actor::behavior_type recording_fetcher(
    detector::schedule_fetcher_actor::pointer, std::shared_ptr<fetcher_log> log) {
  return {
      [log](const detector::topology_view& t) { log->topologies.push_back(t); },
      [](const std::vector<detector::load_detector_actor>&) {},
      [](atom::fetch_now) {},
      [log](const std::string&, const messages::observed_duration& o) {
        log->observed.push_back(o);
      },
      [](atom::status) { return detector::fetch_status{}; },
  };
}

messages::node_hello hello(std::string node, std::vector<std::string> proxies, int capacity,
                           int threshold) {
  return {std::move(node), std::move(proxies),      capacity, threshold,
          "test",          messages::protocol_major};
}

messages::devices_seen seen(std::string proxy,
                            std::vector<std::pair<std::string, domain::monitoring_mode>> devices) {
  messages::devices_seen out{std::move(proxy), {}};
  for (auto& [id, mode] : devices) out.devices.push_back({id, 0, mode, "127.0.0.1"});
  return out;
}

struct registry_fixture : test::detector_fixture {
  std::shared_ptr<fetcher_log> log = std::make_shared<fetcher_log>();
  detector::node_registry_actor registry;

  registry_fixture() {
    auto fetcher = keep(system.spawn(recording_fetcher, log));
    detector::node_registry_config config;
    config.publish_delay = 200ms;
    registry = keep(system.spawn(detector::node_registry, config, fetcher));
    run();
  }
};

constexpr auto proxy_mode = domain::monitoring_mode::proxy;
constexpr auto direct_mode = domain::monitoring_mode::direct;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(registry, registry_fixture)

BOOST_AUTO_TEST_CASE(a_burst_of_announcements_is_published_once_after_the_delay) {
  caf::anon_send(registry, std::string("n1"), hello("n1", {"p1"}, 10, 8));
  caf::anon_send(registry, std::string("n1"), seen("p1", {{"d1", proxy_mode}, {"d2", proxy_mode}}));
  caf::anon_send(registry, std::string("n2"), hello("n2", {"p2"}, 5, 4));
  caf::anon_send(registry, std::string("n2"),
                 seen("p2", {{"d3", proxy_mode}, {"d4", direct_mode}}));
  run();
  BOOST_TEST(log->topologies.empty());
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(log->topologies.size(), 1u);
  const auto& t = log->topologies.front();
  BOOST_REQUIRE_EQUAL(t.proxies.size(), 2u);
  BOOST_TEST(t.proxies[0].id == "p1");
  BOOST_TEST(t.proxies[0].capacity == 10);
  BOOST_TEST(t.proxies[0].threshold == 8);
  BOOST_TEST((t.proxies[0].devices == std::vector<std::string>{"d1", "d2"}));
  BOOST_TEST((t.proxies[1].devices == std::vector<std::string>{"d3"}));  // d4 is direct

  // The same announcement again changes nothing and publishes nothing.
  caf::anon_send(registry, std::string("n1"), seen("p1", {{"d1", proxy_mode}}));
  run();
  advance_time(1s);
  BOOST_TEST(log->topologies.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_stale_node_makes_its_proxy_stale_until_it_is_heard_again) {
  caf::anon_send(registry, std::string("n1"), hello("n1", {"p1"}, 10, 8));
  caf::anon_send(registry, std::string("n1"), seen("p1", {{"d1", proxy_mode}}));
  run();
  advance_time(200ms);
  caf::anon_send(registry, atom::node_stale_v, std::string("n1"));
  run();
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(log->topologies.size(), 2u);
  BOOST_TEST(log->topologies.back().proxies.front().stale);
  BOOST_TEST(log->topologies.back().proxies.front().devices.size() == 1u);  // last known, kept

  auto status = ask<detector::registry_status>(registry, atom::status_v);
  BOOST_REQUIRE(status);
  BOOST_TEST(status->nodes_stale == 1);
  BOOST_TEST(status->nodes_live == 0);
  BOOST_TEST(status->devices == 1);
  // /status shows each published proxy with its devices counted.
  BOOST_REQUIRE_EQUAL(status->proxies.size(), 1u);
  BOOST_TEST(status->proxies.front().id == log->topologies.back().proxies.front().id);
  BOOST_TEST(status->proxies.front().devices == 1);
  BOOST_TEST(status->proxies.front().stale);

  caf::anon_send(registry, atom::node_up_v, std::string("n1"));
  run();
  advance_time(200ms);
  BOOST_TEST(!log->topologies.back().proxies.front().stale);
}

BOOST_AUTO_TEST_CASE(two_nodes_for_one_proxy_share_it_and_the_live_one_sets_its_numbers) {
  caf::anon_send(registry, std::string("a"), hello("a", {"p1"}, 10, 8));
  caf::anon_send(registry, std::string("b"), hello("b", {"p1"}, 20, 16));
  caf::anon_send(registry, std::string("a"), seen("p1", {{"d1", proxy_mode}}));
  caf::anon_send(registry, std::string("b"), seen("p1", {{"d2", proxy_mode}}));
  caf::anon_send(registry, atom::node_stale_v, std::string("b"));
  run();
  advance_time(200ms);
  const auto& p = log->topologies.back().proxies.front();
  BOOST_TEST(p.capacity == 10);
  BOOST_TEST(!p.stale);
  BOOST_TEST((p.nodes == std::vector<std::string>{"a", "b"}));
  BOOST_TEST((p.devices == std::vector<std::string>{"d1", "d2"}));
}

BOOST_AUTO_TEST_CASE(observed_durations_go_to_the_fetcher) {
  caf::anon_send(registry, std::string("n1"),
                 messages::observed_duration{"m", "fw", 10, 2000, 0, {}, 0, 0});
  run();
  BOOST_REQUIRE_EQUAL(log->observed.size(), 1u);
  BOOST_TEST(log->observed.front().transfer_ms == 2000);
}

BOOST_AUTO_TEST_SUITE_END()

// One detector's shard of the proxies ([detection] proxies): nodes announcing another
// detector's proxy are refused, counted and never reach the model (so never notified).
struct shard_fixture : test::detector_fixture {
  std::shared_ptr<fetcher_log> log = std::make_shared<fetcher_log>();
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  detector::node_registry_actor registry;

  shard_fixture() {
    auto fetcher = keep(system.spawn(recording_fetcher, log));
    detector::node_registry_config config;
    config.publish_delay = 200ms;
    config.proxies = {"p1", "p2"};
    config.log = [l = lines](const std::string& line) { l->push_back(line); };
    registry = keep(system.spawn(detector::node_registry, config, fetcher));
    run();
  }
};

BOOST_FIXTURE_TEST_SUITE(shard, shard_fixture)

BOOST_AUTO_TEST_CASE(nodes_announcing_a_proxy_not_owned_are_refused_counted_and_left_out) {
  caf::anon_send(registry, std::string("n1"), hello("n1", {"p1"}, 10, 8));
  caf::anon_send(registry, std::string("n1"), seen("p1", {{"d1", proxy_mode}}));
  caf::anon_send(registry, std::string("n3"), hello("n3", {"p3"}, 10, 8));
  caf::anon_send(registry, std::string("n3"), seen("p3", {{"d3", proxy_mode}}));
  caf::anon_send(registry, std::string("n3"),
                 messages::observed_duration{"m", "fw", 10, 5, 0, {}, 0, 0});
  // A node on both sides of the shard boundary is refused as a whole.
  caf::anon_send(registry, std::string("n4"), hello("n4", {"p2", "p9"}, 10, 8));
  // A device list for a proxy not owned, from an accepted node, is ignored too.
  caf::anon_send(registry, std::string("n1"), seen("p9", {{"d9", proxy_mode}}));
  run();
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(log->topologies.size(), 1u);
  const auto& t = log->topologies.back();
  BOOST_REQUIRE_EQUAL(t.proxies.size(), 1u);
  BOOST_TEST(t.proxies.front().id == "p1");
  BOOST_TEST((t.proxies.front().devices == std::vector<std::string>{"d1"}));
  BOOST_TEST(log->observed.empty());

  auto status = ask<detector::registry_status>(registry, atom::status_v);
  BOOST_REQUIRE(status);
  BOOST_TEST(status->nodes_live == 1);
  BOOST_TEST(status->devices == 1);
  BOOST_REQUIRE_EQUAL(status->refused_nodes.size(), 2u);
  BOOST_TEST((status->refused_nodes.at("n3") == std::vector<std::string>{"p3"}));
  BOOST_TEST((status->refused_nodes.at("n4") == std::vector<std::string>{"p2", "p9"}));
  BOOST_TEST(status->refused_announcements == 4u);  // 2 hellos, 2 device lists

  // Logged once per node, naming the foreign proxies; a repeated hello is counted only.
  BOOST_REQUIRE_EQUAL(lines->size(), 2u);
  BOOST_TEST(lines->at(1).find("'n4'") != std::string::npos, lines->at(1));
  BOOST_TEST(lines->at(1).find("p9") != std::string::npos, lines->at(1));
  BOOST_TEST(lines->at(1).find("p2") == std::string::npos, lines->at(1));
  caf::anon_send(registry, std::string("n3"), hello("n3", {"p3"}, 10, 8));
  run();
  BOOST_TEST(lines->size() == 2u);
  status = ask<detector::registry_status>(registry, atom::status_v);
  BOOST_TEST(status->refused_announcements == 5u);
}

BOOST_AUTO_TEST_CASE(
    a_node_that_moves_to_a_foreign_proxy_is_dropped_and_one_that_moves_back_is_accepted) {
  caf::anon_send(registry, std::string("n1"), hello("n1", {"p2"}, 10, 8));
  caf::anon_send(registry, std::string("n1"), seen("p2", {{"d1", proxy_mode}}));
  run();
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(log->topologies.back().proxies.size(), 1u);

  // Reconfigured to relay a proxy another detector owns: its proxy leaves the model.
  caf::anon_send(registry, std::string("n1"), hello("n1", {"p7"}, 10, 8));
  run();
  advance_time(200ms);
  BOOST_TEST(log->topologies.back().proxies.empty());

  caf::anon_send(registry, std::string("n1"), hello("n1", {"p1"}, 10, 8));
  run();
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(log->topologies.back().proxies.size(), 1u);
  BOOST_TEST(log->topologies.back().proxies.front().id == "p1");
  auto status = ask<detector::registry_status>(registry, atom::status_v);
  BOOST_TEST(status->refused_nodes.empty());
}

BOOST_AUTO_TEST_CASE(owned_proxies_are_validated_by_name) {
  detector::node_registry_config config;
  config.proxies = {"p1", ""};
  auto empty = detector::validate(config);
  BOOST_REQUIRE(!empty.has_value());
  BOOST_TEST(empty.failure().where == "proxies");
  config.proxies = {"p1", "p2", "p1"};
  auto twice = detector::validate(config);
  BOOST_REQUIRE(!twice.has_value());
  BOOST_TEST(twice.failure().what.find("'p1' twice") != std::string::npos);
  config.proxies = {"p1", "p2"};
  BOOST_TEST(detector::validate(config).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// A registry started again: it knew n1 and n2 (both relaying p1) before.
struct restart_fixture : test::detector_fixture {
  std::shared_ptr<fetcher_log> log = std::make_shared<fetcher_log>();
  std::shared_ptr<std::vector<std::set<std::string>>> remembered =
      std::make_shared<std::vector<std::set<std::string>>>();
  std::vector<std::string> lines;
  detector::node_registry_actor registry;

  restart_fixture() {
    detector::node_registry_config config;
    config.publish_delay = 200ms;
    config.known_nodes = {"n1", "n2"};
    config.settle_timeout = 10s;
    config.remember = [r = remembered](const std::set<std::string>& nodes) { r->push_back(nodes); };
    config.log = [this](const std::string& line) { lines.push_back(line); };
    auto fetcher = keep(system.spawn(recording_fetcher, log));
    registry = keep(system.spawn(detector::node_registry, config, fetcher));
    run();
  }

  void announce(const std::string& node, const std::string& device) {
    caf::anon_send(registry, node, hello(node, {"p1"}, 3, 3));
    caf::anon_send(registry, node, seen("p1", {{device, proxy_mode}}));
    run();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(restart, restart_fixture)

BOOST_AUTO_TEST_CASE(nothing_is_published_until_every_known_node_announced_again) {
  announce("n1", "d1");
  advance_time(5s);
  BOOST_TEST(log->topologies.empty());  // p1 with d1 alone would be judged on half its devices
  announce("n2", "d2");
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(log->topologies.size(), 1u);
  const auto& p1 = log->topologies.front().proxies.at(0);
  BOOST_TEST(p1.devices == (std::vector<std::string>{"d1", "d2"}));
  BOOST_TEST(remembered->empty());  // no node new, none forgotten: nothing to write
  advance_time(10s);                // the settle timer of the start changes nothing now
  BOOST_TEST(log->topologies.size() == 1u);
}

BOOST_AUTO_TEST_CASE(after_the_settle_time_detection_starts_without_the_missing_node) {
  announce("n1", "d1");
  advance_time(9s);
  BOOST_TEST(log->topologies.empty());
  advance_time(1s);
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(log->topologies.size(), 1u);
  BOOST_TEST(log->topologies.front().proxies.at(0).devices == (std::vector<std::string>{"d1"}));
  // n2 is forgotten: it delays no later restart, and is logged by name.
  BOOST_REQUIRE_EQUAL(remembered->size(), 1u);
  BOOST_TEST(remembered->back() == (std::set<std::string>{"n1"}));
  BOOST_TEST(lines.back().find("n2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_new_node_is_remembered_for_the_next_restart) {
  announce("n1", "d1");
  announce("n2", "d2");
  announce("n3", "d3");
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(remembered->size(), 1u);
  BOOST_TEST(remembered->back() == (std::set<std::string>{"n1", "n2", "n3"}));
  BOOST_TEST(log->topologies.back().proxies.at(0).devices ==
             (std::vector<std::string>{"d1", "d2", "d3"}));
}

BOOST_AUTO_TEST_CASE(a_burst_of_new_nodes_is_remembered_in_one_write) {
  announce("n1", "d1");
  announce("n2", "d2");
  for (int i = 3; i <= 50; ++i) announce("n" + std::to_string(i), "d" + std::to_string(i));
  BOOST_TEST(remembered->empty());  // not yet: with the publication
  advance_time(200ms);
  BOOST_REQUIRE_EQUAL(remembered->size(), 1u);
  BOOST_TEST(remembered->back().size() == 50u);
  advance_time(10s);
  BOOST_TEST(remembered->size() == 1u);  // nothing new since
}

BOOST_AUTO_TEST_SUITE_END()
