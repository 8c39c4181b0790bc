#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"

namespace headroom::domain {

/// Marks a job that is left out of the load (an adjustment could not place it).
inline constexpr instant unscheduled = std::numeric_limits<instant>::min();

/// The start of every job, by job index; `unscheduled` leaves a job out.
using schedule = std::vector<instant>;

/// Whether job `j` loads its proxies under `starts`: counted, and not left out.
inline bool loads_under(const counting& c, const schedule& starts, index_t j) {
  return c.job_counts[j] && starts[j] != unscheduled;
}

/// Every job at its requested start.
schedule requested_schedule(const fleet& f);

/// The proxy's load is `load` from `at` until the next step (or the horizon's end).
struct load_step {
  instant at = 0;
  std::int32_t load = 0;
  friend bool operator==(const load_step&, const load_step&) = default;
};

/// A step function over the horizon: the first step is at the horizon's start,
/// consecutive steps have different loads.
using load_timeline = std::vector<load_step>;

/// The predicted load of every proxy (claim 2: distinct devices communicating at once).
struct load_profile {
  interval horizon;
  std::vector<load_timeline> proxies;  ///< By proxy index.
};

/// Builds every proxy's load over `horizon` from the counted jobs placed by
/// `starts` and the counted periodic services. A device active in several
/// communications at once counts once on every proxy of its path.
load_profile build_load_profile(const fleet& f, const counting& c, const schedule& starts,
                                interval horizon);

/// The profile with the jobs `left_out` unscheduled, from `under_starts`, the one
/// build_load_profile gave under `starts`: the same as building it again, at the cost of
/// the left-out jobs' devices. The adjuster leaves a window's jobs out of the load it has
/// just built, where a build expands a week of every service again.
load_profile without_jobs(const fleet& f, const counting& c, const schedule& starts,
                          const load_profile& under_starts, const std::vector<index_t>& left_out);

/// The load of a timeline at instant t (t inside the horizon).
std::int32_t load_at(const load_timeline& timeline, instant t);

}  // namespace headroom::domain
