#pragma once

// The ZeroMQ authentication (ZAP, RFC 27) handler of a detector with CurveZMQ:
// accepts a node's handshake only when its public key is on the allowlist.
// It owns one REP socket on one thread, in the context of the sockets it guards.

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <zmq.hpp>
#include <zmq_addon.hpp>

namespace headroom::bus {

class zap_handler {
 public:
  /// Binds `inproc://zeromq.zap.01` in `context` (one handler per context).
  zap_handler(zmq::context_t& context, std::set<std::string> allowed_public_keys);
  ~zap_handler();

  zap_handler(const zap_handler&) = delete;
  zap_handler& operator=(const zap_handler&) = delete;

  [[nodiscard]] std::uint64_t accepted() const { return accepted_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  void run();
  void answer(std::vector<zmq::message_t>& request);

  zmq::socket_t socket_;
  std::set<std::string> allowed_;
  int stop_fd_ = -1;
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace headroom::bus
