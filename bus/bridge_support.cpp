#include "bus/bridge_support.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

namespace headroom::bus {

void apply_marks(zmq::socket_t& socket, const high_water_marks& marks,
                 const messages::decode_limits& limits) {
  socket.set(zmq::sockopt::sndhwm, marks.socket_send);
  socket.set(zmq::sockopt::rcvhwm, marks.socket_receive);
  socket.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(limits.max_frame_bytes) * 4);
  socket.set(zmq::sockopt::linger, 0);
}

std::string bind_socket(zmq::socket_t& socket, const std::string& endpoint) {
  // ZeroMQ closes a listening socket asynchronously, on its I/O thread: a hub
  // restarted in the same process (demo, tests) can find its port held for a
  // moment. Another process holding the port still fails after the grace period.
  constexpr auto grace = std::chrono::seconds{2};
  constexpr auto step = std::chrono::milliseconds{10};
  const auto until = std::chrono::steady_clock::now() + grace;
  for (;;) {
    try {
      socket.bind(endpoint);
      return socket.get(zmq::sockopt::last_endpoint);
    } catch (const zmq::error_t& e) {
      if (e.num() != EADDRINUSE || std::chrono::steady_clock::now() >= until)
        throw bind_failure{"cannot bind " + endpoint + ": " + e.what()};
    }
    std::this_thread::sleep_for(step);
  }
}

void connect_socket(zmq::socket_t& socket, const std::string& endpoint) {
  try {
    socket.connect(endpoint);
  } catch (const zmq::error_t& e) {
    throw bind_failure{"cannot connect to " + endpoint + ": " + e.what()};
  }
}

void count_refusal(bridge_stats& stats, const messages::wire_error& error,
                   const std::string& peer) {
  ++stats.refused[static_cast<std::size_t>(error.fault)];
  ++stats.refused_total;
  stats.last_refusal = peer + ": " + messages::to_string(error.fault) + ": " + error.message();
}

std::string random_instance_id() {
  std::random_device entropy;
  const std::uint64_t id = (std::uint64_t{entropy()} << 32) | entropy();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(id));
  return text;
}

}  // namespace headroom::bus
