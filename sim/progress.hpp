#pragma once
// How far each strategy's replay has come, written by the thread that runs it and read by
// the one that draws the progress bar.

#include <atomic>
#include <cstdint>
#include <deque>

#include "domain/time.hpp"

namespace headroom::sim {

struct progress_lane {
  std::atomic<std::int64_t> jobs{0};        ///< To finish, in all.
  std::atomic<domain::instant> reached{0};  ///< Virtual time.
  std::atomic<std::int64_t> finished{0};    ///< Jobs that succeeded or failed.
  std::atomic<bool> done{false};
};

/// One lane per strategy, in the order asked (a deque: lanes neither move nor copy).
using progress_lanes = std::deque<progress_lane>;

}  // namespace headroom::sim
