#pragma once
// The metrics of docs/simulation.md (rule 7), computed from what a replay recorded.

#include <cstdint>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

/// What every strategy's metrics are measured against; the same for all of them.
struct fleet_facts {
  std::int64_t jobs = 0;               ///< Counted.
  domain::instant earliest_start = 0;  ///< Of the counted jobs, as requested.
  /// No schedule that delivers every job while keeping every proxy at or under its
  /// threshold ends earlier than earliest_start plus this.
  std::int64_t makespan_lower_bound_s = 0;
};

fleet_facts examine(const domain::fleet& f, const domain::counting& c);

/// Fills succeeded, failed, late, makespan and displacement from `out.outcomes`, and the
/// fleet-wide figures from `facts`.
void summarise(const domain::fleet& f, const fleet_facts& facts, strategy_result& out);

}  // namespace headroom::sim
