#pragma once

#include <cstdint>
#include <vector>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"
#include "domain/load_profile.hpp"

namespace headroom::domain {

/// A maximal interval in which a proxy's load is above its threshold (claim 1).
struct overload_window {
  index_t proxy = 0;
  interval span;
  std::int32_t peak = 0;
  std::int32_t threshold = 0;
  std::vector<index_t> jobs;  ///< Counted jobs intersecting the window on this proxy, by id.
};

/// The overloaded windows of one proxy's timeline, without their jobs.
std::vector<overload_window> find_windows(index_t proxy, const load_timeline& timeline,
                                          std::int32_t threshold, interval horizon);

/// Everything `headroom check` reports about one schedule.
struct detection {
  load_profile profile;
  std::vector<overload_window> windows;  ///< Ordered by proxy id, then start.
};

/// Predicts every proxy's load under `starts` and finds its overloaded windows,
/// each with the counted jobs that intersect it.
detection detect(const fleet& f, const counting& c, const schedule& starts, interval horizon);

}  // namespace headroom::domain
