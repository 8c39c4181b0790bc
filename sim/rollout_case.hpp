#pragma once
// One fleet made ready for replay: what every strategy shares (counting, horizon, real
// durations, the facts the metrics measure against), and the run of the strategies that
// need no detector: as-scheduled, rate-limit, rollout-groups and headroom-warn.

#include "common/progress.hpp"
#include "domain/counting.hpp"
#include "domain/fleet.hpp"
#include "sim/first_starts.hpp"
#include "sim/metrics.hpp"
#include "sim/replay.hpp"
#include "sim/results.hpp"
#include "sim/sim_config.hpp"

namespace headroom::sim {

struct rollout_case {
  const domain::fleet& fleet;
  domain::counting counting;
  domain::interval horizon;  ///< The fleet's effective horizon, as the detector sees it.
  fleet_facts facts;
  fleet_summary summary;
  replay_layout layout;
  std::vector<std::int64_t> durations;  ///< Real ones.
  load_series chart;                    ///< Empty, with the buckets every strategy uses.
  retry_policy policy;
  /// The plan both headroom strategies start from, made once (it is the costly part).
  std::optional<warned_plan> plan;
};

/// Everything the strategies of `config` share; the headroom plan only when one asks.
rollout_case prepare(const domain::fleet& f, const sim_config& config);

/// Handles second after second until nothing is left, keeping `lane` up to date.
void run_to_end(replay& r, common::progress_lane& lane);

/// A new replay of the case, every job still waiting.
replay new_replay(const rollout_case& c);

/// Plans every counted job's first try at `starts`.
void release_all(replay& r, const rollout_case& c, const domain::schedule& starts);

/// Every counted job's first try, for the strategies that decide it before the rollout:
/// as-scheduled, rate-limit and headroom-warn; none for those that decide as it runs
/// (rollout-groups, headroom-auto).
std::optional<domain::schedule> decided_first_tries(const rollout_case& c, strategy s,
                                                    const sim_config& config);

/// Runs a strategy that decides before the rollout or as groups finish: every strategy
/// but headroom-auto (actors/sim/auto_rollout.hpp).
strategy_result run_planned(const rollout_case& c, strategy s, const sim_config& config,
                            common::progress_lane& lane);

/// Fills the metrics of a finished replay.
strategy_result finish(const rollout_case& c, strategy s, replay& r);

}  // namespace headroom::sim
