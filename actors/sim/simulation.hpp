#pragma once
// `headroom sim` without its flags and files: every strategy asked, replayed on the same
// case, several at once on their own threads.

#include "common/progress.hpp"
#include "domain/fleet.hpp"
#include "domain/wall_clock.hpp"
#include "sim/results.hpp"
#include "sim/sim_config.hpp"

namespace headroom::sim {

struct rollout_case;

/// Replays one strategy on a prepared case (sim/rollout_case.hpp).
strategy_result run_strategy(const rollout_case& c, strategy s, const sim_config& config,
                             common::progress_lane& lane);

/// Replays `f` once per strategy of a validated `config`. `lanes` holds one lane per
/// strategy, in its order, for a progress bar to read meanwhile; `clock` times each
/// strategy (`wall_s`).
simulation_result simulate(const domain::fleet& f, const sim_config& config,
                           common::progress_lanes& lanes, const domain::wall_clock& clock);

}  // namespace headroom::sim
