// Three nodes and one hub over tcp loopback: registration, heartbeats, a node
// that stops is marked stale within the timeout and live again when it returns,
// and after a hub restart every node re-announces itself and its devices.
#define BOOST_TEST_MODULE bus_cluster
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "bus/liveness.hpp"
#include "tests/support/bus_fixture.hpp"

namespace {

using namespace headroom;
using namespace std::chrono_literals;
using test::bus_side;

const std::vector<std::string> node_ids{"node-a", "node-b", "node-c"};

messages::devices_seen devices_of(const std::string& node) {
  return {"proxy-" + node,
          {{"dev-" + node + "-1", 1'764'028'800, domain::monitoring_mode::proxy, "10.0.0.1"}}};
}

test::bus_event last_event(const test::event_log& log, const std::string& kind) {
  const auto events = log.events();
  for (auto it = events.rbegin(); it != events.rend(); ++it)
    if (it->kind == kind) return *it;
  return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(liveness_goes_stale_after_the_timeout_and_recovers_when_heard) {
  using clock = std::chrono::steady_clock;
  const clock::time_point t0{};
  bus::liveness peer{200ms};
  BOOST_TEST(!peer.live());
  BOOST_TEST(peer.heard(t0));  // new peer: becomes live
  BOOST_TEST(!peer.heard(t0 + 100ms));
  BOOST_TEST(!peer.check(t0 + 300ms));  // silent for exactly the timeout: still live
  BOOST_TEST(peer.check(t0 + 301ms));
  BOOST_TEST(!peer.live());
  BOOST_TEST(!peer.check(t0 + 900ms));  // reported once
  BOOST_TEST(peer.heard(t0 + 1s));      // recovered
  BOOST_TEST(peer.live());
}

BOOST_AUTO_TEST_CASE(three_nodes_register_go_stale_recover_and_reannounce_after_hub_restart) {
  zmq::context_t detector_host;
  zmq::context_t node_hosts;
  bus_side detector_side;
  bus_side node_side;
  auto hub = detector_side.start_hub(detector_host,
                                     test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));

  std::map<std::string, bus::node_bridge_actor> nodes;
  for (const auto& id : node_ids) {
    nodes[id] = node_side.start_node(node_hosts, test::fast_node(id, hub));
    caf::anon_send(nodes[id], devices_of(id));
  }
  // All register, and heartbeats flow from every node.
  for (const auto& id : node_ids) {
    BOOST_TEST_REQUIRE(detector_side.log->wait_for("node_up", 1, id));
    BOOST_TEST_REQUIRE(detector_side.log->wait_for("node_heartbeat", 3, id));
    BOOST_TEST_REQUIRE(detector_side.log->wait_for("devices_seen", 1, id));
  }
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_up", 3));
  BOOST_TEST(detector_side.stats(hub.bridge).peers_live == 3);

  // node-c stops: stale within the timeout (200 ms) plus a heartbeat interval or two.
  const auto stopped_at = std::chrono::steady_clock::now();
  node_side.stop(caf::actor_cast<caf::actor>(nodes["node-c"]));
  BOOST_TEST_REQUIRE(detector_side.log->wait_for("node_stale", 1, "node-c"));
  const auto stale_after = std::chrono::steady_clock::now() - stopped_at;
  BOOST_TEST_MESSAGE("node-c stale after "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(stale_after).count()
                     << " ms");
  BOOST_TEST(stale_after <
             1s);  // generous for a loaded 2-core machine; the bound is 200 ms + 20 ms
  BOOST_TEST(detector_side.log->count("node_stale", "node-a") == 0u);
  const auto with_c_stale = detector_side.stats(hub.bridge);
  BOOST_TEST(with_c_stale.peers_live == 2);
  BOOST_TEST(with_c_stale.peers_stale == 1);

  // node-c comes back (a new process, so a new connection): live again.
  nodes["node-c"] = node_side.start_node(node_hosts, test::fast_node("node-c", hub));
  BOOST_TEST_REQUIRE(detector_side.log->wait_for("node_up", 2, "node-c"));
  BOOST_TEST(detector_side.stats(hub.bridge).peers_live == 3);

  // The hub restarts on the same endpoints: a new instance that knows nobody.
  const auto first_instance = last_event(*node_side.log, "hub_up").node;
  const auto hub_ups_before = node_side.log->count("hub_up");
  detector_side.stop(caf::actor_cast<caf::actor>(hub.bridge));
  bus_side restarted_side;
  hub = restarted_side.start_hub(detector_host,
                                 test::fast_hub(hub.router_endpoint, hub.pub_endpoint));
  for (const auto& id : node_ids) {
    BOOST_TEST_REQUIRE(restarted_side.log->wait_for("node_hello", 1, id));
    BOOST_TEST_REQUIRE(restarted_side.log->wait_for("node_up", 1, id));
  }
  // Devices seen before the restart are announced again (node-c's new process saw none).
  BOOST_TEST_REQUIRE(restarted_side.log->wait_for("devices_seen", 1, "node-a"));
  BOOST_TEST_REQUIRE(restarted_side.log->wait_for("devices_seen", 1, "node-b"));
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_up", hub_ups_before + 3));
  BOOST_TEST(last_event(*node_side.log, "hub_up").node !=
             first_instance);  // hub_up names the new instance
  BOOST_TEST(restarted_side.stats(hub.bridge).peers_live == 3);
  for (const auto& id : {"node-a", "node-b"})
    BOOST_TEST(node_side.stats(nodes[id]).announcements == 2u);
}
