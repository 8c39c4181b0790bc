#pragma once
// A count of live objects (connections, admin requests) that shutdown can wait on:
// the Asio threads must keep running until every object using them is gone.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace headroom::relay {

class live_gauge {
 public:
  void increment() { count_.fetch_add(1, std::memory_order_relaxed); }

  void decrement() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lock(mutex_);
      drained_.notify_all();
    }
  }

  /// Counts its owner while it lives. Declare it before the members that use the
  /// counted resources (sockets on an io_context), so it is destroyed after them.
  class token {
   public:
    explicit token(live_gauge& gauge) : gauge_(gauge) { gauge_.increment(); }
    ~token() { gauge_.decrement(); }
    token(const token&) = delete;
    token& operator=(const token&) = delete;

   private:
    live_gauge& gauge_;
  };

  [[nodiscard]] std::uint32_t load() const { return count_.load(std::memory_order_relaxed); }

  /// Waits until the count is zero; false if `timeout` passed first.
  bool wait_until_zero(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return drained_.wait_for(lock, timeout,
                             [this] { return count_.load(std::memory_order_acquire) == 0; });
  }

 private:
  std::atomic<std::uint32_t> count_{0};
  std::mutex mutex_;
  std::condition_variable drained_;
};

}  // namespace headroom::relay
