// At-least-once events from a node to the detector, over real sockets: the node keeps
// session events in its spool until acked, sends them to a detector that comes back and
// from a spool an earlier run left; the hub hands each (node instance, sequence number)
// on once, in order, and refuses nothing it should take. Malformed acks are refused with
// the field named.
#define BOOST_TEST_MODULE bus at least once
#include <boost/test/unit_test.hpp>
#include <set>

#include "bus/event_spool.hpp"
#include "messages/codec.hpp"
#include "tests/support/bus_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/wire_samples.hpp"

using namespace headroom;
using namespace std::string_literals;

namespace {

messages::session_event event_of(const std::string& device) {
  auto e = test::sample_session_event();
  e.device_id = device;
  return e;
}

/// The devices of every session event the hub handed on, in order.
std::vector<std::string> devices_taken(const test::event_log& log) {
  std::vector<std::string> out;
  for (const auto& e : log.events())
    if (e.body)
      if (const auto* s = std::get_if<messages::session_event>(&*e.body))
        out.push_back(s->device_id);
  return out;
}

std::vector<std::string> numbered(const std::string& prefix, int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

/// A raw DEALER speaking the bus by hand, for frames no bridge would send.
struct raw_node {
  zmq::socket_t dealer;
  std::uint64_t seq = 0;
  raw_node(zmq::context_t& context, const std::string& id, const std::string& endpoint)
      : dealer{context, zmq::socket_type::dealer} {
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::routing_id, id);
    dealer.connect(endpoint);
  }
  void send(const std::string& sender, const messages::payload& body) {
    const auto bytes = messages::encode(sender, ++seq, body);
    dealer.send(zmq::buffer(bytes), zmq::send_flags::none);
  }
  /// The next frame of type T (others skipped), or nothing by the deadline.
  template <class T>
  std::optional<T> next() {
    const auto until = std::chrono::steady_clock::now() + test::deadline;
    while (std::chrono::steady_clock::now() < until) {
      std::vector<zmq::pollitem_t> items{{dealer.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, std::chrono::milliseconds{100});
      if (!(items[0].revents & ZMQ_POLLIN)) continue;
      zmq::message_t m;
      if (!dealer.recv(m)) continue;
      auto f = messages::decode(m.to_string_view());
      if (f && std::holds_alternative<T>(f->body)) return std::get<T>(f->body);
    }
    return std::nullopt;
  }
};

messages::session_event stamped(const std::string& device, const std::string& instance,
                                std::uint64_t seq, std::uint64_t unacked_from) {
  auto e = event_of(device);
  e.instance = instance;
  e.event_seq = seq;
  e.unacked_from = unacked_from;
  return e;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_hub_takes_each_node_instance_and_sequence_number_once_in_order) {
  zmq::context_t context;
  test::bus_side detector_side;
  const auto hub =
      detector_side.start_hub(context, test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
  raw_node node{context, "raw-1", hub.router_endpoint};
  node.send("raw-1", messages::node_hello{"raw-1", {"proxy-1"}, 10, 8, "v", 1});
  BOOST_TEST_REQUIRE(node.next<messages::ack>().has_value());
  node.send("raw-1", stamped("d1", "inst-a", 1, 1));
  node.send("raw-1", stamped("d1", "inst-a", 1, 1));  // a resend: duplicate
  node.send("raw-1", stamped("d3", "inst-a", 3, 1));  // after a gap: left for the resend
  node.send("raw-1", stamped("d2", "inst-a", 2, 1));
  node.send("raw-1", stamped("d3", "inst-a", 3, 1));
  // Events before 10 were dropped by the node for its bound: counted lost, 10 taken.
  node.send("raw-1", stamped("d10", "inst-a", 10, 10));
  // A 1.0 node's event (no instance) passes unacked, as before.
  node.send("raw-1", event_of("old"));
  BOOST_TEST_REQUIRE(detector_side.log->wait_until(
      [](const auto& events) { return test::event_log::count_in(events, "session_event") >= 5; }));
  BOOST_TEST((devices_taken(*detector_side.log) ==
              std::vector<std::string>{"d1", "d2", "d3", "d10", "old"}));
  std::uint64_t through = 0;
  while (through < 10) {
    auto ack = node.next<messages::events_ack>();
    BOOST_TEST_REQUIRE(ack.has_value());
    BOOST_TEST(ack->instance == "inst-a");
    BOOST_TEST(ack->through >= through);  // cumulative: never backwards
    through = ack->through;
  }
  const auto stats = detector_side.stats(hub.bridge);
  BOOST_TEST(stats.duplicates == 1u);
  BOOST_TEST(stats.out_of_order == 1u);
  BOOST_TEST(stats.lost == 6u);
}

BOOST_AUTO_TEST_CASE(events_sent_while_the_detector_is_down_arrive_once_when_it_is_back) {
  zmq::context_t context;
  test::scratch_dir dir;
  test::bus_side node_side;
  auto detector_side = std::make_unique<test::bus_side>();
  auto first =
      detector_side->start_hub(context, test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
  auto config = test::fast_node("node-1", first);
  config.spool_path = dir.file("node-1.spool");
  const auto node = node_side.start_node(context, config);
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_up"));
  for (const auto& d : numbered("before-", 1, 3)) caf::anon_send(node, event_of(d));
  BOOST_TEST_REQUIRE(detector_side->log->wait_for("session_event", 3));
  BOOST_TEST_REQUIRE(test::eventually([&] { return node_side.stats(node).spooled == 0; }));

  // The detector goes away; events keep coming and wait in the spool.
  detector_side->stop(caf::actor_cast<caf::actor>(first.bridge));
  detector_side.reset();
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_stale"));
  for (const auto& d : numbered("during-", 1, 50)) caf::anon_send(node, event_of(d));
  BOOST_TEST_REQUIRE(test::eventually([&] { return node_side.stats(node).spooled == 50; }));

  // A new detector on the same endpoints: the node re-announces and sends them, once.
  test::bus_side back;
  back.start_hub(context, test::fast_hub(first.router_endpoint, first.pub_endpoint));
  BOOST_TEST_REQUIRE(back.log->wait_for("session_event", 50));
  BOOST_TEST_REQUIRE(test::eventually([&] { return node_side.stats(node).spooled == 0; }));
  BOOST_TEST((devices_taken(*back.log) == numbered("during-", 1, 50)));
}

BOOST_AUTO_TEST_CASE(a_restarted_node_sends_its_spool_with_the_instance_that_stamped_it) {
  zmq::context_t context;
  test::scratch_dir dir;
  // No detector yet: the first run only spools.
  bus::hub_endpoint nowhere{{}, "tcp://127.0.0.1:1", "tcp://127.0.0.1:2"};
  {
    zmq::socket_t probe{context, zmq::socket_type::router};  // two free ports for later
    probe.set(zmq::sockopt::linger, 0);
    probe.bind("tcp://127.0.0.1:*");
    nowhere.router_endpoint = probe.get(zmq::sockopt::last_endpoint);
    zmq::socket_t probe_pub{context, zmq::socket_type::pub};
    probe_pub.set(zmq::sockopt::linger, 0);
    probe_pub.bind("tcp://127.0.0.1:*");
    nowhere.pub_endpoint = probe_pub.get(zmq::sockopt::last_endpoint);
  }
  auto config = test::fast_node("node-1", nowhere);
  config.spool_path = dir.file("node-1.spool");
  {
    test::bus_side first_run;
    const auto node = first_run.start_node(context, config);
    for (const auto& d : numbered("first-", 1, 20)) caf::anon_send(node, event_of(d));
    BOOST_TEST_REQUIRE(test::eventually([&] { return first_run.stats(node).spooled == 20; }));
    first_run.stop(caf::actor_cast<caf::actor>(node));
  }
  test::bus_side detector_side;
  detector_side.start_hub(context, test::fast_hub(nowhere.router_endpoint, nowhere.pub_endpoint));
  test::bus_side second_run;
  const auto node = second_run.start_node(context, config);
  for (const auto& d : numbered("second-", 1, 5)) caf::anon_send(node, event_of(d));
  BOOST_TEST_REQUIRE(detector_side.log->wait_for("session_event", 25));
  BOOST_TEST_REQUIRE(test::eventually([&] { return second_run.stats(node).spooled == 0; }));
  auto taken = devices_taken(*detector_side.log);
  BOOST_TEST(taken.size() == 25u);
  std::set<std::string> instances;
  for (const auto& e : detector_side.log->events())
    if (e.body)
      if (const auto* s = std::get_if<messages::session_event>(&*e.body))
        instances.insert(s->instance);
  BOOST_TEST(instances.size() == 2u);  // the first run's and the second's
  auto first = numbered("first-", 1, 20);
  BOOST_TEST((std::vector<std::string>(taken.begin(), taken.begin() + 20) == first));
}

BOOST_AUTO_TEST_CASE(a_malformed_or_impossible_events_ack_is_refused_with_its_field_named) {
  zmq::context_t context;
  test::bus_side node_side;
  test::fake_detector fake{context};
  const auto node = node_side.start_node(context, test::fast_node("node-1", fake.endpoint));
  auto hello = fake.receive();
  BOOST_TEST_REQUIRE(hello.has_value());
  auto send = [&](const std::string& bytes) { fake.send(hello->from, bytes); };
  send(messages::encode("detector", 1,
                        messages::detector_status{"detector", "instance-1", 0, 1, 0}));
  send(messages::encode("detector", 2, messages::ack{hello->frame.env.seq}));
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_up"));
  caf::anon_send(node, event_of("d1"));
  std::optional<messages::session_event> sent;
  while (!sent) {
    auto f = fake.receive();
    BOOST_TEST_REQUIRE(f.has_value());
    if (auto* e = std::get_if<messages::session_event>(&f->frame.body)) sent = *e;
  }
  BOOST_TEST(sent->event_seq == 1u);
  BOOST_TEST(sent->unacked_from == 1u);
  // "through" missing: the decoder refuses it, naming the field.
  send(
      "\x95\x0a\x01\x01\xa8"
      "detector\x03\x81\xa8"
      "instance\xa1x"s);
  BOOST_TEST_REQUIRE(test::eventually([&] { return node_side.stats(node).refused_total == 1; }));
  BOOST_TEST(
      node_side.stats(node).last_refusal.find("events_ack.through: missing") != std::string::npos,
      node_side.stats(node).last_refusal);
  // An ack for an event never sent: refused, and the event is still kept.
  send(messages::encode("detector", 4, messages::events_ack{sent->instance, 9}));
  BOOST_TEST_REQUIRE(test::eventually([&] { return node_side.stats(node).refused_total == 2; }));
  BOOST_TEST(node_side.stats(node).last_refusal.find(
                 "events_ack.through: 9 is beyond the latest event sent (1)") != std::string::npos,
             node_side.stats(node).last_refusal);
  BOOST_TEST(node_side.stats(node).spooled == 1u);
  send(messages::encode("detector", 5, messages::events_ack{sent->instance, 1}));
  BOOST_TEST(test::eventually([&] { return node_side.stats(node).spooled == 0; }));
}
