#pragma once

// Whether a peer is live or stale, from when it was last heard and a timeout.
// Pure: the bridges feed it their actor clock, so tests can drive it directly.

#include <chrono>

namespace headroom::bus {

class liveness {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  explicit liveness(duration timeout) : timeout_(timeout) {}

  /// Records a sign of life; true when it makes a new or stale peer live.
  bool heard(time_point now) {
    last_heard_ = now;
    const bool was_live = live_;
    live_ = true;
    return !was_live;
  }

  /// True when the peer has just gone stale: live, and silent for longer than the timeout.
  bool check(time_point now) {
    if (!live_ || now - last_heard_ <= timeout_) return false;
    live_ = false;
    return true;
  }

  [[nodiscard]] bool live() const { return live_; }

 private:
  duration timeout_;
  time_point last_heard_{};
  bool live_ = false;
};

}  // namespace headroom::bus
