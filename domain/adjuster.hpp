#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/counting.hpp"
#include "domain/detection.hpp"
#include "domain/fleet.hpp"
#include "domain/load_profile.hpp"

namespace headroom::domain {

struct adjustment {
  index_t job = 0;
  instant from = 0;
  instant to = 0;
};

struct unschedulable_job {
  index_t job = 0;
  std::string reason;
};

/// The order in which movable jobs are placed; every order places higher priority first.
enum class placement_order : std::uint8_t {
  requested,       ///< Then requested start, then id: the baseline.
  tightest_first,  ///< Then latest start its deadline allows (none: last), so tight jobs keep a
                   ///< slot.
  shortest_first,  ///< Then duration, which keeps the total displacement small.
};

const char* to_string(placement_order order);

/// A new schedule for the movable jobs (claim 7).
struct adjustment_plan {
  schedule starts;                ///< Every job; unschedulable ones are `unscheduled`.
  std::vector<index_t> movable;   ///< Jobs that intersected a window, by index.
  std::vector<adjustment> moved;  ///< Jobs given a new start, by index.
  std::vector<unschedulable_job> unschedulable;  ///< By index.
  std::int64_t total_displacement_s = 0;         ///< Sum of (new start - requested start).
  /// No plan that places the same jobs, each taking a device slot of its own as the
  /// adjuster's do, displaces them less in total (see displacement_lower_bound).
  std::int64_t displacement_lower_bound_s = 0;
  placement_order order = placement_order::requested;
};

/// The adjuster's measure: `a` leaves fewer jobs unschedulable, or as many with less total
/// displacement.
bool better(const adjustment_plan& a, const adjustment_plan& b);

/// The movable jobs of a detection: the counted jobs that intersect a window.
std::vector<index_t> movable_jobs(const detection& before);

/// Places every movable job, in the given order, at its earliest feasible start:
/// not earlier than requested, ending by its deadline and the horizon's end,
/// inside one maintenance window when moved, and never where a proxy of its path
/// would be above its threshold. The load of everything else stays put.
adjustment_plan place_in_order(const fleet& f, const counting& c, const detection& before,
                               placement_order order);

/// The adjuster: places in every order (in parallel) and keeps the plan with the
/// fewest unschedulable jobs, then the least total displacement. Never worse than
/// place_in_order(..., placement_order::requested), which is one of them. `requested`, when
/// the caller has it, is the load under every job's requested start (build_load_profile
/// of requested_schedule(f) over the same horizon): the load that stays is then derived
/// from it instead of built again. The plan is the same.
adjustment_plan adjust(const fleet& f, const counting& c, const detection& before,
                       const load_profile* requested = nullptr);

/// Every way `plan` breaks the rules of claim 7 (empty when it keeps them all);
/// `after` is the detection under plan.starts.
std::vector<std::string> rule_violations(const fleet& f, const detection& before,
                                         const adjustment_plan& plan, const detection& after);

}  // namespace headroom::domain
