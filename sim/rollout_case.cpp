#include "sim/rollout_case.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "sim/durations.hpp"
#include "sim/rollout_groups.hpp"

namespace headroom::sim {
namespace {

using domain::index_t;

/// Buckets of a width people read at a glance, about 720 of them over the span.
std::int64_t bucket_width(std::int64_t span) {
  constexpr std::array<std::int64_t, 10> widths{60,   120,  300,  600,   900,
                                                1800, 3600, 7200, 21600, 86400};
  for (auto w : widths)
    if (span / w <= 720) return w;
  return widths.back();
}

}  // namespace

void release_all(replay& r, const rollout_case& c, const domain::schedule& starts) {
  for (index_t j = 0; j < c.fleet.jobs.size(); ++j)
    if (c.counting.job_counts[j]) r.release(j, starts[j]);
}

rollout_case prepare(const domain::fleet& f, const sim_config& config) {
  rollout_case c{f,
                 domain::count_communications(f),
                 domain::effective_horizon(f),
                 {},
                 {},
                 lay_out(f),
                 {},
                 {},
                 {config.retries, config.retry_after_s},
                 std::nullopt};
  c.facts = examine(f, c.counting);
  c.summary.devices = static_cast<std::int64_t>(f.devices.size());
  c.summary.proxies = static_cast<std::int64_t>(f.proxies.size());
  c.summary.jobs = c.facts.jobs;
  c.summary.ignored_jobs = static_cast<std::int64_t>(c.counting.ignored.size());
  c.summary.service_occurrences = count_service_occurrences(f, c.layout, c.horizon);
  c.durations = real_durations(f, config.duration_noise, config.seed);
  const auto origin =
      c.facts.jobs ? std::min(c.horizon.start, c.facts.earliest_start) : c.horizon.start;
  c.chart.bucket_s = bucket_width(c.horizon.end - origin);
  c.chart.origin = origin - ((origin % c.chart.bucket_s) + c.chart.bucket_s) % c.chart.bucket_s;
  const auto asks = [&](strategy s) {
    return std::find(config.strategies.begin(), config.strategies.end(), s) !=
           config.strategies.end();
  };
  if (asks(strategy::headroom_warn) || asks(strategy::headroom_auto))
    c.plan = adjusted_starts(f, c.counting, c.horizon);
  return c;
}

replay new_replay(const rollout_case& c) {
  return replay(c.fleet, c.counting, c.layout, c.durations, c.policy, c.horizon, c.chart);
}

void run_to_end(replay& r, common::progress_lane& lane) {
  std::uint32_t steps = 0;
  while (r.step()) {
    if (++steps % 4096 != 0) continue;
    lane.reached.store(r.now(), std::memory_order_relaxed);
    lane.finished.store(r.finished(), std::memory_order_relaxed);
  }
  lane.reached.store(r.now(), std::memory_order_relaxed);
  lane.finished.store(r.finished(), std::memory_order_relaxed);
}

strategy_result finish(const rollout_case& c, strategy s, replay& r) {
  strategy_result out;
  out.which = s;
  r.collect(out);
  summarise(c.fleet, c.facts, out);
  return out;
}

std::optional<domain::schedule> decided_first_tries(const rollout_case& c, strategy s,
                                                    const sim_config& config) {
  switch (s) {
    case strategy::as_scheduled:
      return domain::requested_schedule(c.fleet);
    case strategy::rate_limit:
      return rate_limited_starts(c.fleet, c.counting,
                                 config.rate.value_or(derived_rate(c.fleet, c.counting)));
    case strategy::headroom_warn:
      return c.plan.value().starts;
    case strategy::rollout_groups:
    case strategy::headroom_auto:
      return std::nullopt;
  }
  return std::nullopt;
}

strategy_result run_planned(const rollout_case& c, strategy s, const sim_config& config,
                            common::progress_lane& lane) {
  if (s == strategy::headroom_auto)
    throw std::logic_error("headroom-auto needs the detector's actors (actors/sim)");
  auto r = new_replay(c);
  std::optional<rollout_groups> groups;
  if (auto starts = decided_first_tries(c, s, config)) {
    release_all(r, c, *starts);
  } else {
    groups.emplace(c.fleet, c.counting, config.group_share);
    r.set_observer(&*groups);
    groups->begin(r);
  }
  run_to_end(r, lane);
  auto out = finish(c, s, r);
  if (s == strategy::headroom_warn) out.unschedulable = c.plan->unschedulable;
  return out;
}

}  // namespace headroom::sim
