#pragma once

// One ZeroMQ socket on its own thread. Nothing else touches the socket: other
// threads hand it frames through a locked queue and wake it with an eventfd,
// and it hands what it receives to a callback (which forwards to an actor).

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "bus/delivery_policy.hpp"

namespace headroom::bus {

/// One frame to send; `routing_id` addresses a peer on a ROUTER and is empty otherwise.
struct outbound_frame {
  std::string routing_id;
  std::string bytes;
  at_high_water policy = at_high_water::drop;
  messages::message_type type{};  ///< For the drop counts per type.
};

/// What a worker did with the frames it was given, for the bridge's statistics.
struct worker_counters {
  std::uint64_t received = 0;
  std::uint64_t sent = 0;
  std::uint64_t dropped_at_socket_hwm = 0;  ///< `drop` frames the socket refused (EAGAIN).
  std::uint64_t dropped_queue_full = 0;  ///< Frames refused by post() because the queue was full.
  std::uint64_t send_failed = 0;         ///< ROUTER frames for a peer that is gone, or send errors.
  type_counters dropped_by_type{};       ///< Both kinds of drops, by message type.
};

class socket_worker {
 public:
  /// Called on the worker thread with the multipart messages received in one
  /// go (up to a batch), so that the bridge gets one actor message per batch.
  using receive_handler = std::function<void(std::vector<std::vector<zmq::message_t>>&)>;

  /// Takes over a bound or connected socket. With a handler, the socket is
  /// polled for input; without one it only sends (PUB). With `max_unfinished` > 0 the
  /// worker stops reading while that many batches are handed on but not yet
  /// batch_done(): input then waits in ZeroMQ (its receive mark, then TCP), where the
  /// ROUTER takes from its peers in turn, instead of in an unbounded actor mailbox.
  socket_worker(std::string name, zmq::socket_t socket, high_water_marks marks,
                receive_handler on_receive, std::size_t max_unfinished = 0);

  /// The receiver finished one batch; thread-safe.
  void batch_done();
  ~socket_worker();

  socket_worker(const socket_worker&) = delete;
  socket_worker& operator=(const socket_worker&) = delete;

  /// Queues a frame for sending; thread-safe. False when the queue is full for
  /// the frame's policy (the frame is dropped and counted).
  bool post(outbound_frame frame);

  /// A consistent copy of the counters; thread-safe.
  [[nodiscard]] worker_counters counters() const;

 private:
  void run();
  void wake();
  void drain_wakeups();
  void send_pending();
  void receive_available();
  void count_drop(const outbound_frame& frame);

  std::string name_;
  zmq::socket_t socket_;
  high_water_marks marks_;
  receive_handler on_receive_;
  std::size_t max_unfinished_ = 0;
  std::atomic<std::size_t> unfinished_{0};
  int wake_fd_ = -1;

  std::mutex mutex_;  // guards queue_ and stopping_
  std::deque<outbound_frame> queue_;
  bool stopping_ = false;

  // Written by the worker (and post() for queue drops), read by anyone.
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> dropped_at_socket_hwm_{0};
  std::atomic<std::uint64_t> dropped_queue_full_{0};
  std::atomic<std::uint64_t> send_failed_{0};
  std::array<std::atomic<std::uint64_t>, messages::message_type_count + 1> dropped_by_type_{};

  std::deque<outbound_frame> pending_;  // worker thread only: taken from queue_, not yet sent
  std::thread thread_;
};

}  // namespace headroom::bus
