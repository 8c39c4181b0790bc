#include "actors/sim/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "actors/sim/auto_rollout.hpp"
#include "sim/rollout_case.hpp"

namespace headroom::sim {
namespace {

double seconds_since(const domain::wall_clock& clock, std::int64_t began_ms) {
  return static_cast<double>(clock.milliseconds() - began_ms) / 1000.0;
}

}  // namespace

strategy_result run_strategy(const rollout_case& c, strategy s, const sim_config& config,
                             common::progress_lane& lane) {
  return s == strategy::headroom_auto ? run_headroom_auto(c, config, lane)
                                      : run_planned(c, s, config, lane);
}

simulation_result simulate(const domain::fleet& f, const sim_config& config,
                           common::progress_lanes& lanes, const domain::wall_clock& clock) {
  if (lanes.size() != config.strategies.size())
    throw std::invalid_argument("simulate: one progress lane per strategy");
  const auto preparing = clock.milliseconds();
  const auto c = prepare(f, config);
  // Both headroom strategies start from the plan made here: each counts its time.
  const double planning = c.plan ? seconds_since(clock, preparing) : 0.0;
  simulation_result out;
  out.fleet = c.summary;
  out.horizon = c.horizon;
  out.strategies.resize(config.strategies.size());
  for (auto& lane : lanes) lane.total = c.facts.jobs;

  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    for (std::size_t i = next++; i < config.strategies.size(); i = next++) {
      const auto s = config.strategies[i];
      const auto began = clock.milliseconds();
      try {
        out.strategies[i] = run_strategy(c, s, config, lanes[i]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
      const bool planned = s == strategy::headroom_warn || s == strategy::headroom_auto;
      out.strategies[i].wall_s = seconds_since(clock, began) + (planned ? planning : 0.0);
      lanes[i].done = true;
    }
  };
  const auto cores = std::max(1u, std::thread::hardware_concurrency());
  const auto threads = std::min<std::size_t>(
      config.strategies.size(), config.threads > 0 ? static_cast<std::size_t>(config.threads)
                                                   : static_cast<std::size_t>(cores));
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  pool.clear();
  if (failure) std::rethrow_exception(failure);
  return out;
}

}  // namespace headroom::sim
