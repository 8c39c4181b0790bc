#pragma once
// The strategies that decide every job's first try before the rollout begins
// (docs/simulation.md, rule 6): rate-limit and headroom-warn. As-scheduled is the
// requested start; rollout-groups decides as groups finish (sim/rollout_groups.hpp).

#include <cstdint>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"
#include "domain/load_profile.hpp"

namespace headroom::sim {

/// The counted jobs in rollout order: by requested start, then id.
std::vector<domain::index_t> rollout_order(const domain::fleet& f, const domain::counting& c);

/// The rate a careful operator would set from fleet-wide numbers only:
/// max(1, floor(60 · n · Σ_p threshold(p) ÷ Σ_j duration_s)), exactly.
std::int64_t derived_rate(const domain::fleet& f, const domain::counting& c);

/// At most `rate` first tries in any minute: the k-th job in rollout order starts at
/// max(its start, the first start of job k − rate + 60).
domain::schedule rate_limited_starts(const domain::fleet& f, const domain::counting& c,
                                     std::int64_t rate);

/// headroom-warn's plan: where domain::adjust on the whole fleet puts each job (the plan of
/// `headroom check --adjust`); jobs it could not place keep their start.
struct warned_plan {
  domain::schedule starts;
  std::int64_t unschedulable = 0;
};
warned_plan adjusted_starts(const domain::fleet& f, const domain::counting& c,
                            domain::interval horizon);

}  // namespace headroom::sim
