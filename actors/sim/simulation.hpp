#pragma once
// `headroom sim` without its flags and files: every strategy asked, replayed on the same
// case, several at once on their own threads.

#include "domain/fleet.hpp"
#include "sim/progress.hpp"
#include "sim/results.hpp"
#include "sim/sim_config.hpp"

namespace headroom::sim {

/// Replays `f` once per strategy of a validated `config`; `lanes` gets one lane per
/// strategy, in its order, for a progress bar to read meanwhile.
simulation_result simulate(const domain::fleet& f, const sim_config& config, progress_lanes& lanes);

}  // namespace headroom::sim
