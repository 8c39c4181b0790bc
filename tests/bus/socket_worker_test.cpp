// The high-water policy at a socket whose peer does not read: `drop` frames
// beyond the mark are dropped and counted, `retain` frames wait in order and are
// all delivered once the peer reads again.
#define BOOST_TEST_MODULE bus_socket_worker
#include "bus/socket_worker.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

namespace {

using namespace headroom;
using namespace std::chrono_literals;

constexpr auto deadline = 10s;

/// Receives one [routing id, frame] message on `router`, or fails at the deadline.
std::string receive(zmq::socket_t& router) {
  std::vector<zmq::pollitem_t> items{{router.handle(), 0, ZMQ_POLLIN, 0}};
  zmq::poll(items, std::chrono::duration_cast<std::chrono::milliseconds>(deadline));
  BOOST_TEST_REQUIRE((items[0].revents & ZMQ_POLLIN) != 0, "nothing arrived");
  zmq::message_t id;
  zmq::message_t frame;
  (void)router.recv(id);
  (void)router.recv(frame);
  return frame.to_string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(drop_frames_are_counted_at_the_mark_and_retained_frames_wait_in_order) {
  zmq::context_t context;
  bus::high_water_marks marks;
  marks.socket_send = 2;
  marks.queue_drop = 4;
  marks.queue_retain = 100;
  // A peer that binds and then does not read: the pipe between them holds about
  // its receive mark plus our send mark.
  zmq::socket_t router{context, zmq::socket_type::router};
  router.set(zmq::sockopt::rcvhwm, 2);
  router.set(zmq::sockopt::linger, 0);
  router.bind("inproc://socket-worker-test");
  zmq::socket_t dealer{context, zmq::socket_type::dealer};
  dealer.set(zmq::sockopt::sndhwm, marks.socket_send);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect("inproc://socket-worker-test");
  bus::socket_worker worker{"test dealer", std::move(dealer), marks, nullptr};

  // Drop frames, one at a time so the queue never fills: the pipe takes a few and
  // the worker drops the rest at the socket's mark.
  constexpr int early_drops = 10;
  for (int i = 0; i < early_drops; ++i) {
    BOOST_TEST_REQUIRE(worker.post({{}, "drop-" + std::to_string(i), bus::at_high_water::drop}));
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (worker.counters().sent + worker.counters().dropped_at_socket_hwm <
               static_cast<std::uint64_t>(i + 1) &&
           std::chrono::steady_clock::now() < until)
      std::this_thread::yield();
  }
  const auto after_drops = worker.counters();
  BOOST_TEST(after_drops.sent + after_drops.dropped_at_socket_hwm ==
             static_cast<std::uint64_t>(early_drops));
  BOOST_TEST(after_drops.dropped_at_socket_hwm >= 1u);

  // Retained frames cannot go out either, but they wait; drop frames behind them
  // fill the queue and, beyond `queue_drop`, are refused and counted.
  for (int i = 0; i < 3; ++i)
    BOOST_TEST(worker.post({{}, "retain-" + std::to_string(i), bus::at_high_water::retain}));
  int refused = 0;
  for (int i = 0; i < 8; ++i)
    refused += worker.post({{}, "late-drop", bus::at_high_water::drop}) ? 0 : 1;
  BOOST_TEST(refused >= 1);
  BOOST_TEST(worker.counters().dropped_queue_full == static_cast<std::uint64_t>(refused));

  // The peer reads again: what the socket held, then every retained frame in order.
  std::vector<std::string> arrived;
  while (arrived.empty() || arrived.back() != "retain-2") arrived.push_back(receive(router));
  std::vector<std::string> retained;
  for (const auto& frame : arrived)
    if (frame.starts_with("retain-")) retained.push_back(frame);
  BOOST_TEST(retained == (std::vector<std::string>{"retain-0", "retain-1", "retain-2"}),
             boost::test_tools::per_element());
  BOOST_TEST(arrived.size() == after_drops.sent + 3);
}
