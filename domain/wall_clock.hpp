#pragma once
// The one wall-clock type. Whatever stamps a time or rolls a horizon is given a wall_clock
// by its caller and refuses to start without one (no silent fallback to the system clock):
// production passes common::system_wall_clock(), tests and the simulator a fixed or
// stepped one. Nothing in domain/, actors/ or sim/ reads the system clock itself
// (tests/lint checks it). Intervals inside actors come from the actor clock instead.

#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>

#include "domain/time.hpp"

namespace headroom::domain {

/// UTC wall-clock time at millisecond resolution.
using wall_time = std::chrono::sys_time<std::chrono::milliseconds>;

class wall_clock {
 public:
  using source = std::function<wall_time()>;

  /// No clock: whoever needs one refuses to start with it.
  wall_clock() = default;
  explicit wall_clock(source read) : read_(std::move(read)) {}

  /// A clock that always reads `at` (tests, replays).
  static wall_clock fixed(instant at) {
    return wall_clock{[at] { return wall_time{std::chrono::seconds{at}}; }};
  }

  [[nodiscard]] explicit operator bool() const { return static_cast<bool>(read_); }
  [[nodiscard]] wall_time now() const { return read_(); }
  /// Whole seconds since the epoch (the model's resolution), rounded down.
  [[nodiscard]] instant seconds() const {
    return std::chrono::floor<std::chrono::seconds>(now()).time_since_epoch().count();
  }
  /// Milliseconds since the epoch.
  [[nodiscard]] std::int64_t milliseconds() const { return now().time_since_epoch().count(); }

 private:
  source read_;
};

}  // namespace headroom::domain
