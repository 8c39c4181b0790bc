#include "actors/sim/live_run.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "actors/sim/live_session.hpp"
#include "actors/sim/simulation.hpp"
#include "sim/live/load_sampler.hpp"
#include "sim/live/time_scale.hpp"
#include "sim/metrics.hpp"
#include "sim/rollout_case.hpp"

namespace headroom::sim {
namespace {

/// Past the last planned end, a run waits this long for stragglers, then stops.
constexpr std::int64_t safety_s = 60;

/// The chart's buckets on the real clock: a few seconds wide, so that a run of minutes
/// draws as many points as a replay of hours.
std::int64_t live_bucket(std::int64_t speed) {
  return std::clamp<std::int64_t>(600 / speed, 1, 60);
}

/// Waits on the injected clock until `done` or `deadline_s`, in short steps.
void wait_until(const domain::wall_clock& clock, domain::instant deadline_s,
                const std::function<bool()>& done) {
  std::mutex m;
  std::condition_variable never;
  std::unique_lock lock(m);
  while (!done() && clock.seconds() < deadline_s)
    never.wait_for(lock, std::chrono::milliseconds{100});
}

}  // namespace

domain::expected<live_config> validate(live_config c) {
  if (c.speed < 1 || c.speed > 3600) return domain::error{"--speed", "must be 1..3600"};
  if (c.lead_s < 10 || c.lead_s > 3600) return domain::error{"--lead", "must be 10..3600 seconds"};
  if (c.image_bytes < 1 || c.image_bytes > (64 << 20))
    return domain::error{"--image-bytes", "must be 1..67108864"};
  if (c.data_dir.empty()) return domain::error{"--data-dir", "must be set"};
  return c;
}

bool plays_live(strategy s) { return s != strategy::rollout_groups; }

domain::expected<live_result> run_live(const domain::fleet& f, strategy s, const sim_config& config,
                                       const live_config& live, domain::wall_clock clock,
                                       common::progress_lane& lane, const std::atomic<bool>* cancel,
                                       const live_started& started) {
  if (!plays_live(s))
    return domain::error{"--strategy", std::string(to_string(s)) + " cannot run live"};
  const auto origin = clock.seconds() + live.lead_s;
  auto scaled = scale_fleet(f, live.speed, origin);
  sim_config scaled_config = config;
  scaled_config.strategies = {s};
  scaled_config.retry_after_s = scaled.scale.span(config.retry_after_s);
  scaled_config.replan_interval_s = scaled.scale.span(config.replan_interval_s);
  auto c = prepare(scaled.fleet, scaled_config);
  c.chart.bucket_s = live_bucket(live.speed);
  c.chart.origin = origin;

  live_result out;
  out.summary = c.summary;
  out.horizon = c.horizon;
  out.origin = origin;
  out.maintenance_windows_dropped = scaled.maintenance_windows_dropped;
  common::progress_lane quiet;
  out.predicted = run_strategy(c, s, scaled_config, quiet);

  // The fleet the distribution system holds: the strategy's first tries are its schedule.
  // headroom-auto starts from the schedule as it stands: the detector re-plans it while
  // the devices check in.
  const auto starts =
      decided_first_tries(c, s, scaled_config).value_or(domain::requested_schedule(scaled.fleet));
  domain::fleet imported = scaled.fleet;
  for (std::size_t j = 0; j < imported.jobs.size(); ++j) imported.jobs[j].start = starts[j];

  live_rig_config rig_config;
  rig_config.data_dir = (std::filesystem::path(live.data_dir) / to_string(s)).string();
  std::error_code ignored;
  std::filesystem::remove_all(rig_config.data_dir, ignored);
  rig_config.mode = s == strategy::headroom_auto ? detector::detector_mode::automatic
                                                 : detector::detector_mode::warn;
  rig_config.fetch_interval = std::chrono::milliseconds{
      std::max<std::int64_t>(500, 1000 * scaled_config.replan_interval_s)};
  rig_config.image_bytes = live.image_bytes;
  auto session =
      live_session::start(imported, c.counting, c.policy, c.horizon, rig_config, clock, origin);
  if (!session) return session.failure();
  if (started) started((*session)->rig());
  load_sampler sampler((*session)->rig().relay_admins(), c.chart, clock);
  const auto& rollout = (*session)->rollout();
  lane.total = rollout.jobs();

  domain::instant last_end = c.horizon.end;
  for (std::size_t j = 0; j < imported.jobs.size(); ++j)
    if (c.counting.job_counts[j])
      last_end = std::max(last_end, starts[j] + (c.policy.retries + 1) * c.policy.retry_after_s +
                                        imported.jobs[j].duration_s);
  wait_until(clock, last_end + safety_s, [&] {
    lane.finished = rollout.finished();
    lane.reached = clock.seconds();
    return rollout.finished() >= rollout.jobs() || (cancel && cancel->load());
  });
  out.cut_short = rollout.finished() < rollout.jobs();
  sampler.stop();
  (*session)->stop();

  out.measured.which = s;
  rollout.collect(out.measured);
  out.measured.peak = sampler.peaks();
  out.measured.load = sampler.series();
  // Only the headroom strategies plan (prepare makes the plan for them alone).
  if (c.plan) out.measured.unschedulable = c.plan->unschedulable;
  summarise(scaled.fleet, c.facts, out.measured);
  out.counters = rollout.counters();
  out.moves_seen = (*session)->agent().moves_seen();
  out.reports_lost = (*session)->agent().reports_lost();
  out.samples_missed = sampler.missed();
  lane.done = true;
  return out;
}

}  // namespace headroom::sim
