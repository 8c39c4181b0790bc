// Malformed, truncated, oversized and unknown-type frames from a raw ZeroMQ
// socket: each is refused with its own counter, and the hub keeps serving both
// that connection and the well-behaved nodes.
#define BOOST_TEST_MODULE bus_hostile_frames
#include <boost/test/unit_test.hpp>
#include <msgpack.hpp>
#include <zmq_addon.hpp>

#include "tests/support/bus_fixture.hpp"
#include "tests/support/wire_samples.hpp"

namespace {

using namespace headroom;
using namespace std::string_literals;
using messages::wire_fault;

/// Receives one frame on the raw socket, or fails the test at the deadline.
messages::frame receive_frame(zmq::socket_t& raw) {
  std::vector<zmq::pollitem_t> items{{raw.handle(), 0, ZMQ_POLLIN, 0}};
  zmq::poll(items, std::chrono::duration_cast<std::chrono::milliseconds>(test::deadline));
  BOOST_TEST_REQUIRE((items[0].revents & ZMQ_POLLIN) != 0, "no reply from the hub");
  zmq::message_t message;
  BOOST_TEST_REQUIRE(raw.recv(message, zmq::recv_flags::dontwait).has_value());
  auto decoded = messages::decode(message.to_string_view());
  if (!decoded) BOOST_FAIL("the hub sent an undecodable frame: " << decoded.failure().message());
  return *decoded;
}

std::uint64_t refused(const bus::bridge_stats& stats, wire_fault fault) {
  return stats.refused[static_cast<std::size_t>(fault)];
}

}  // namespace

BOOST_AUTO_TEST_CASE(bad_frames_are_refused_and_counted_while_the_hub_keeps_serving) {
  zmq::context_t context;
  test::bus_side detector_side;
  test::bus_side node_side;
  const auto hub =
      detector_side.start_hub(context, test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
  const auto good = node_side.start_node(context, test::fast_node("node-good", hub));
  BOOST_TEST_REQUIRE(detector_side.log->wait_for("node_up", 1, "node-good"));

  zmq::socket_t raw{context, zmq::socket_type::dealer};
  raw.set(zmq::sockopt::linger, 0);
  raw.connect(hub.router_endpoint);
  auto send = [&](const std::string& bytes) {
    raw.send(zmq::buffer(bytes), zmq::send_flags::none);
  };

  const auto event = messages::encode("raw", 1, test::sample_session_event());
  send("\xc1"s);                                                 // not msgpack
  send(event.substr(0, event.size() - 5));                       // truncated
  send(std::string((1 << 20) + 1, '\x90'));                      // over the 1 MiB frame limit
  send("\x95\xcc\xc8\x01\x00\xa3raw\x01\x80"s);                  // type 200
  send("\x95\x02\x02\x00\xa3raw\x01\x80"s);                      // protocol 2.0
  send(messages::encode("raw", 2, messages::ack{1}) + "\x00"s);  // trailing byte
  auto bad_field = event;
  bad_field.replace(bad_field.find("closed"), 6, "exited");
  send(bad_field);  // unknown outcome
  send(messages::encode(
      "raw", 3, messages::node_hello{"someone-else", {"p"}, 1, 1, "x", 1}));  // impersonation
  std::vector<zmq::const_buffer> two_parts{zmq::str_buffer("a"), zmq::str_buffer("b")};
  zmq::send_multipart(raw, two_parts);  // not one frame

  // A well-formed frame before hello: not forwarded; the hub answers with its status.
  send(messages::encode("raw", 4, messages::node_heartbeat{1, 1, 0}));
  BOOST_TEST(std::holds_alternative<messages::detector_status>(receive_frame(raw).body));

  // The same connection can still register: every bad frame before it has been handled.
  const messages::node_hello hello{"raw", {"proxy-raw"}, 10, 8, "0.0.1", 1};
  send(messages::encode("raw", 5, hello));
  BOOST_TEST(std::holds_alternative<messages::detector_status>(receive_frame(raw).body));
  const auto ack = receive_frame(raw);
  BOOST_TEST_REQUIRE(std::holds_alternative<messages::ack>(ack.body));
  BOOST_TEST(std::get<messages::ack>(ack.body).seq == 5u);

  const auto stats = detector_side.stats(hub.bridge);
  BOOST_TEST(refused(stats, wire_fault::malformed) == 1u);
  BOOST_TEST(refused(stats, wire_fault::truncated) ==
             2u);  // the cut frame and the two-part message
  BOOST_TEST(refused(stats, wire_fault::oversized) == 1u);
  BOOST_TEST(refused(stats, wire_fault::unknown_type) == 1u);
  BOOST_TEST(refused(stats, wire_fault::unsupported_version) == 1u);
  BOOST_TEST(refused(stats, wire_fault::trailing_bytes) == 1u);
  BOOST_TEST(refused(stats, wire_fault::bad_field) ==
             2u);  // the outcome and the impersonating hello
  BOOST_TEST(stats.refused_total == 9u);
  BOOST_TEST(stats.unregistered == 1u);
  BOOST_TEST(stats.last_refusal.find("connection ") == 0u, stats.last_refusal);
  BOOST_TEST(stats.peers_live == 2);
  BOOST_TEST(detector_side.log->count("node_hello", "someone-else") == 0u);

  // The well-behaved node was served throughout.
  caf::anon_send(good, test::sample_session_event());
  BOOST_TEST(detector_side.log->wait_for("session_event", 1, "node-good"));
  BOOST_TEST(detector_side.log->count("session_event", "raw") == 0u);
}

BOOST_AUTO_TEST_CASE(a_node_refuses_and_counts_bad_frames_from_its_detector) {
  zmq::context_t context;
  test::bus_side node_side;
  test::fake_detector fake{context};
  const auto node = node_side.start_node(context, test::fast_node("node-1", fake.endpoint));

  // The node's hello arrives first on its connection.
  const auto hello = fake.receive();
  BOOST_TEST_REQUIRE(hello.has_value(), "no decodable hello from the node");
  BOOST_TEST_REQUIRE(std::holds_alternative<messages::node_hello>(hello->frame.body));

  auto send = [&](const std::string& bytes) { fake.send(hello->from, bytes); };
  send("\xc1"s);                                                          // not msgpack
  send(messages::encode("detector", 1, messages::ack{1}).substr(0, 12));  // truncated
  send(
      "\x95\xcc\xc8\x01\x00\xa3"
      "det\x01\x80"s);  // type 200
  send(messages::encode("detector", 2,
                        messages::node_hello{"x", {"p"}, 1, 1, "v", 1}));  // not for a node
  // Then a well-formed registration: the node is still listening.
  send(messages::encode("detector", 3,
                        messages::detector_status{"detector", "instance-1", 0, 1, 0}));
  send(messages::encode("detector", 4, messages::ack{hello->frame.env.seq}));
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_up"));

  const auto stats = node_side.stats(node);
  BOOST_TEST(refused(stats, wire_fault::malformed) == 1u);
  BOOST_TEST(refused(stats, wire_fault::truncated) == 1u);
  BOOST_TEST(refused(stats, wire_fault::unknown_type) == 1u);
  BOOST_TEST(stats.refused_total == 3u);
  BOOST_TEST(stats.unexpected == 1u);
  BOOST_TEST(stats.last_refusal.find("detector: unknown_type") == 0u, stats.last_refusal);
}
