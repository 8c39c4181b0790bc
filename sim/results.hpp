#pragma once
// What one simulated rollout produced, strategy by strategy: the metrics of
// docs/simulation.md, every counted job's outcome, and each proxy's load over time.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/choices.hpp"
#include "domain/fleet.hpp"

namespace headroom::sim {

/// How a strategy decides each job's first start (docs/simulation.md, rule 6).
enum class strategy : std::uint8_t {
  as_scheduled,
  rate_limit,
  rollout_groups,
  headroom_warn,
  headroom_auto,
};

/// The spellings, in the order `--strategy all` runs them.
inline constexpr std::array<common::choice<strategy>, 5> strategies{{
    {"as-scheduled", strategy::as_scheduled},
    {"rate-limit", strategy::rate_limit},
    {"rollout-groups", strategy::rollout_groups},
    {"headroom-warn", strategy::headroom_warn},
    {"headroom-auto", strategy::headroom_auto},
}};

std::string_view to_string(strategy s);

/// What happened to one counted job.
struct job_outcome {
  domain::index_t job = 0;
  domain::instant planned = 0;  ///< Its first attempt.
  std::int32_t attempts = 0;
  std::optional<domain::instant> start;  ///< Of the admitted attempt.
  std::optional<domain::instant> end;
  bool succeeded = false;
};

/// Each proxy's most distinct devices active at once, per bucket of `bucket_s` seconds
/// from `origin`: a chart's worth of the load without keeping every change.
struct load_series {
  domain::instant origin = 0;
  std::int64_t bucket_s = 60;
  std::vector<std::vector<std::int32_t>> peak_by_proxy;  ///< [proxy][bucket]; may be short.
};

struct displacement_summary {
  double mean = 0;
  std::int64_t p95 = 0;  ///< Nearest rank.
  std::int64_t max = 0;
};

struct strategy_result {
  strategy which = strategy::as_scheduled;
  std::int64_t jobs = 0;
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  std::int64_t late = 0;
  std::int64_t unschedulable = 0;
  std::int64_t refusals = 0;
  std::int64_t service_refusals = 0;
  std::int64_t makespan_s = 0;
  std::int64_t makespan_lower_bound_s = 0;
  displacement_summary displacement;
  std::vector<std::int32_t> peak;     ///< By proxy index, over the whole run.
  std::vector<job_outcome> outcomes;  ///< Counted jobs, by job index.
  load_series load;
  std::uint64_t events = 0;  ///< Communications tried and ended: the engine's work.
  // headroom-auto only: how often the detector looked, and what came of its moves.
  std::int64_t detector_looks = 0;
  std::int64_t moves_applied = 0;
  std::int64_t moves_refused = 0;  ///< The job had started meanwhile, or changed.
  double wall_s = 0;               ///< Time this strategy took, planning included.
};

struct fleet_summary {
  std::int64_t devices = 0;
  std::int64_t proxies = 0;
  std::int64_t jobs = 0;  ///< Counted.
  std::int64_t ignored_jobs = 0;
  std::int64_t service_occurrences = 0;  ///< Counted, intersecting the horizon.
};

struct simulation_result {
  fleet_summary fleet;
  domain::interval horizon;
  std::vector<strategy_result> strategies;  ///< In the order asked.
};

}  // namespace headroom::sim
