#include "actors/sim/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

#include "actors/sim/auto_rollout.hpp"
#include "sim/rollout_case.hpp"

namespace headroom::sim {

simulation_result simulate(const domain::fleet& f, const sim_config& config,
                           progress_lanes& lanes) {
  const auto c = prepare(f, config);
  simulation_result out;
  out.fleet = c.summary;
  out.horizon = c.horizon;
  out.strategies.resize(config.strategies.size());
  lanes.resize(config.strategies.size());
  for (auto& lane : lanes) lane.jobs = c.facts.jobs;

  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    for (std::size_t i = next++; i < config.strategies.size(); i = next++) {
      const auto s = config.strategies[i];
      const auto began = std::chrono::steady_clock::now();
      try {
        out.strategies[i] = s == strategy::headroom_auto ? run_headroom_auto(c, config, lanes[i])
                                                         : run_planned(c, s, config, lanes[i]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
      const bool planned = s == strategy::headroom_warn || s == strategy::headroom_auto;
      out.strategies[i].wall_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count() +
          (planned ? c.plan_wall_s : 0.0);
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
