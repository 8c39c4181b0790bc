#pragma once
// How far each of several long tasks has come, written by the thread that runs it and read
// by the one that draws the progress bar.

#include <atomic>
#include <cstdint>
#include <deque>

#include "domain/time.hpp"

namespace headroom::common {

struct progress_lane {
  std::atomic<std::int64_t> total{0};       ///< Items to finish, in all.
  std::atomic<std::int64_t> finished{0};    ///< Items finished.
  std::atomic<domain::instant> reached{0};  ///< Virtual time reached, 0 when none.
  std::atomic<bool> done{false};
};

/// One lane per task, in a fixed order (a deque: lanes neither move nor copy).
using progress_lanes = std::deque<progress_lane>;

}  // namespace headroom::common
