// Every message type crosses the bus between two separate actor systems, over
// inproc:// and over tcp://127.0.0.1, and arrives equal to what was sent.
#define BOOST_TEST_MODULE bus_round_trip
#include <boost/test/unit_test.hpp>

#include "bus/event_spool.hpp"
#include "tests/support/bus_fixture.hpp"
#include "tests/support/wire_samples.hpp"

namespace {

using namespace headroom;
using test::bus_side;

template <class T>
T sample_of() {
  for (auto& p : test::sample_payloads())
    if (auto* x = std::get_if<T>(&p)) return *x;
  throw std::logic_error("no sample");
}

/// The payload without the node bridge's at-least-once stamp (bus/event_spool).
messages::payload unstamped(messages::payload p) {
  if (auto stamp = bus::stamp_of(p); stamp.instance) {
    stamp.instance->clear();
    *stamp.seq = 0;
    *stamp.unacked_from = 0;
  }
  return p;
}

/// Waits for an event of `kind` whose payload equals `expected` but for its stamp.
bool arrives_equal(test::event_log& log, const std::string& kind,
                   const messages::payload& expected) {
  return log.wait_until([&](const auto& events) {
    for (const auto& e : events)
      if (e.kind == kind && e.body && unstamped(*e.body) == unstamped(expected)) return true;
    return false;
  });
}

void round_trip_every_message_type(zmq::context_t& hub_context, zmq::context_t& node_context,
                                   const std::string& router, const std::string& pub) {
  bus_side detector_side;
  bus_side node_side;
  const auto hub = detector_side.start_hub(hub_context, test::fast_hub(router, pub));
  auto config = test::fast_node("node-osaka-1", hub);
  config.hello = sample_of<messages::node_hello>();
  const auto node = node_side.start_node(node_context, config);

  // node_hello one way; detector_status and its ack the other way (hub_up).
  BOOST_TEST(arrives_equal(*detector_side.log, "node_hello", config.hello));
  BOOST_TEST_REQUIRE(detector_side.log->wait_for("node_up", 1, "node-osaka-1"));
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_up"));
  // The first status came over the ROUTER with the ack; one more comes over
  // PUB/SUB, which shows the SUB is connected and no broadcast will be lost.
  BOOST_TEST_REQUIRE(
      node_side.log->wait_for("detector_status", node_side.log->count("detector_status") + 1));
  const auto status = std::get<messages::detector_status>(*node_side.log->events().back().body);
  BOOST_TEST(status.detector_id == "detector-test");
  BOOST_TEST(status.started_at == 1'764'028'800);
  BOOST_TEST(node_side.log->events().front().kind == "detector_status");

  // Node to detector.
  const auto heartbeat = sample_of<messages::node_heartbeat>();
  caf::anon_send(node, heartbeat);
  caf::anon_send(node, sample_of<messages::devices_seen>());
  caf::anon_send(node, sample_of<messages::session_event>());
  caf::anon_send(node, sample_of<messages::observed_duration>());
  BOOST_TEST(arrives_equal(*detector_side.log, "node_heartbeat", heartbeat));
  BOOST_TEST(
      arrives_equal(*detector_side.log, "devices_seen", sample_of<messages::devices_seen>()));
  BOOST_TEST(
      arrives_equal(*detector_side.log, "session_event", sample_of<messages::session_event>()));
  BOOST_TEST(arrives_equal(*detector_side.log, "observed_duration",
                           sample_of<messages::observed_duration>()));

  // Detector to node.
  caf::anon_send(hub.bridge, sample_of<messages::overload_report>());
  caf::anon_send(hub.bridge, sample_of<messages::adjustment_plan>());
  BOOST_TEST(
      arrives_equal(*node_side.log, "overload_report", sample_of<messages::overload_report>()));
  BOOST_TEST(
      arrives_equal(*node_side.log, "adjustment_plan", sample_of<messages::adjustment_plan>()));

  const auto hub_stats = detector_side.stats(hub.bridge);
  BOOST_TEST(hub_stats.refused_total == 0u, hub_stats.last_refusal);
  BOOST_TEST(hub_stats.peers_live == 1);
  BOOST_TEST(node_side.stats(node).refused_total == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_message_type_round_trips_over_inproc) {
  zmq::context_t shared;  // inproc:// needs one context for both ends
  round_trip_every_message_type(shared, shared, "inproc://round-trip-router",
                                "inproc://round-trip-pub");
}

BOOST_AUTO_TEST_CASE(every_message_type_round_trips_over_tcp_loopback) {
  zmq::context_t detector_host;
  zmq::context_t node_host;
  round_trip_every_message_type(detector_host, node_host, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
}

BOOST_AUTO_TEST_CASE(spawning_with_a_bad_config_is_an_error_naming_the_option) {
  bus_side side;
  zmq::context_t context;
  auto config = test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  config.heartbeat_timeout = config.heartbeat_interval;
  auto hub = bus::spawn_hub_bridge(side.system(), context, config, side.hub_listener());
  BOOST_TEST_REQUIRE(!hub);
  BOOST_TEST(side.system().render(hub.error()).find("heartbeat_timeout") != std::string::npos);
  auto taken = test::fast_hub("tcp://127.0.0.1:*", "tcp://256.0.0.1:1");
  auto unbindable = bus::spawn_hub_bridge(side.system(), context, taken, side.hub_listener());
  BOOST_TEST_REQUIRE(!unbindable);
  BOOST_TEST(side.system().render(unbindable.error()).find("cannot bind tcp://256.0.0.1:1") !=
             std::string::npos);
}
