#include "bus/socket_worker.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace headroom::bus {
namespace {

// Frames received in one go before the worker looks at its send queue again.
constexpr int receive_batch = 256;

}  // namespace

socket_worker::socket_worker(std::string name, zmq::socket_t socket, high_water_marks marks,
                             receive_handler on_receive, std::size_t max_unfinished)
    : name_(std::move(name)),
      socket_(std::move(socket)),
      marks_(marks),
      on_receive_(std::move(on_receive)),
      max_unfinished_(max_unfinished) {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error(name_ + ": eventfd: " + std::strerror(errno));
  // Starting the thread is a full memory barrier: the socket migrates to it safely.
  thread_ = std::thread([this] { run(); });
}

socket_worker::~socket_worker() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake();
  thread_.join();
  ::close(wake_fd_);
}

bool socket_worker::post(outbound_frame frame) {
  bool was_empty = false;
  {
    std::lock_guard lock{mutex_};
    const auto limit =
        frame.policy == at_high_water::drop ? marks_.queue_drop : marks_.queue_retain;
    if (queue_.size() >= limit) {
      dropped_queue_full_.fetch_add(1, std::memory_order_relaxed);
      count_drop(frame);
      return false;
    }
    was_empty = queue_.empty();
    queue_.push_back(std::move(frame));
  }
  // The worker takes the whole queue at once, so only the first frame needs to wake it.
  if (was_empty) wake();
  return true;
}

void socket_worker::count_drop(const outbound_frame& frame) {
  const auto code = static_cast<std::size_t>(frame.type);
  if (code < dropped_by_type_.size())
    dropped_by_type_[code].fetch_add(1, std::memory_order_relaxed);
}

worker_counters socket_worker::counters() const {
  worker_counters out{received_.load(std::memory_order_relaxed),
                      sent_.load(std::memory_order_relaxed),
                      dropped_at_socket_hwm_.load(std::memory_order_relaxed),
                      dropped_queue_full_.load(std::memory_order_relaxed),
                      send_failed_.load(std::memory_order_relaxed)};
  for (std::size_t i = 0; i < dropped_by_type_.size(); ++i)
    out.dropped_by_type[i] = dropped_by_type_[i].load(std::memory_order_relaxed);
  return out;
}

void socket_worker::wake() {
  const std::uint64_t one = 1;
  // A full eventfd counter still wakes the worker, so a failed write loses nothing.
  [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
}

void socket_worker::drain_wakeups() {
  std::uint64_t count = 0;
  [[maybe_unused]] auto got = ::read(wake_fd_, &count, sizeof count);
}

void socket_worker::run() {
  std::vector<zmq::pollitem_t> items(2);
  for (;;) {
    // Retained frames wait, in order, for the socket to accept more: take new
    // frames from the queue only once they are out, so the queue bounds memory.
    if (pending_.empty()) {
      std::lock_guard lock{mutex_};
      if (stopping_) break;
      pending_.swap(queue_);
    }
    send_pending();
    // Frames posted while retained ones waited found the queue non-empty and did
    // not wake us: once those are out, poll without sleeping and take them next.
    bool more_queued = false;
    if (pending_.empty()) {
      std::lock_guard lock{mutex_};
      more_queued = !queue_.empty();
    }
    const bool may_receive =
        on_receive_ && (max_unfinished_ == 0 || unfinished_.load() < max_unfinished_);
    short socket_events = may_receive ? ZMQ_POLLIN : 0;
    if (!pending_.empty()) socket_events |= ZMQ_POLLOUT;
    items[0] = {socket_.handle(), 0, socket_events, 0};
    items[1] = {nullptr, wake_fd_, ZMQ_POLLIN, 0};
    try {
      zmq::poll(items, std::chrono::milliseconds{more_queued ? 0 : -1});
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;  // the context was terminated under a live worker: a bug in the owner
    }
    if (items[1].revents & ZMQ_POLLIN) drain_wakeups();
    if (may_receive && (items[0].revents & ZMQ_POLLIN)) receive_available();
    if (!pending_.empty()) {
      std::lock_guard lock{mutex_};
      if (stopping_) break;
    }
  }
  socket_.set(zmq::sockopt::linger, 0);
  socket_.close();
}

void socket_worker::receive_available() {
  std::vector<std::vector<zmq::message_t>> batch;
  for (int i = 0; i < receive_batch; ++i) {
    std::vector<zmq::message_t> parts;
    if (!zmq::recv_multipart(socket_, std::back_inserter(parts), zmq::recv_flags::dontwait)) break;
    batch.push_back(std::move(parts));
  }
  if (batch.empty()) return;
  received_.fetch_add(batch.size(), std::memory_order_relaxed);
  if (max_unfinished_ > 0) unfinished_.fetch_add(1);
  on_receive_(batch);
}

void socket_worker::batch_done() {
  // Wakes the worker only when this reopens its input.
  if (max_unfinished_ > 0 && unfinished_.fetch_sub(1) == max_unfinished_) wake();
}

void socket_worker::send_pending() {
  while (!pending_.empty()) {
    auto& frame = pending_.front();
    try {
      if (!frame.routing_id.empty()) {
        if (!socket_.send(zmq::buffer(frame.routing_id),
                          zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
          if (frame.policy == at_high_water::retain) return;
          dropped_at_socket_hwm_.fetch_add(1, std::memory_order_relaxed);
          count_drop(frame);
          pending_.pop_front();
          continue;
        }
      }
      // A ROUTER's parts go out together once the first is accepted.
      if (!socket_.send(zmq::buffer(frame.bytes), zmq::send_flags::dontwait)) {
        if (frame.policy == at_high_water::retain) return;
        dropped_at_socket_hwm_.fetch_add(1, std::memory_order_relaxed);
        count_drop(frame);
      } else {
        sent_.fetch_add(1, std::memory_order_relaxed);
      }
    } catch (const zmq::error_t&) {
      // EHOSTUNREACH: a ROUTER peer that has disconnected (ZMQ_ROUTER_MANDATORY).
      send_failed_.fetch_add(1, std::memory_order_relaxed);
    }
    pending_.pop_front();
  }
}

}  // namespace headroom::bus
