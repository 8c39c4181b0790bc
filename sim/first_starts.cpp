#include "sim/first_starts.hpp"

#include <algorithm>

#include "domain/adjuster.hpp"
#include "domain/detection.hpp"

namespace headroom::sim {

// Exact products of counts and durations, beyond what 64 bits promise.
__extension__ using wide = __int128;

using domain::index_t;

std::vector<index_t> rollout_order(const domain::fleet& f, const domain::counting& c) {
  std::vector<index_t> order;
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (c.job_counts[j]) order.push_back(j);
  std::sort(order.begin(), order.end(), [&](index_t a, index_t b) {
    const auto& x = f.jobs[a];
    const auto& y = f.jobs[b];
    return x.start != y.start ? x.start < y.start : x.id < y.id;
  });
  return order;
}

std::int64_t derived_rate(const domain::fleet& f, const domain::counting& c) {
  wide jobs = 0;
  wide work = 0;
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!c.job_counts[j]) continue;
    ++jobs;
    work += f.jobs[j].duration_s;
  }
  wide thresholds = 0;
  for (const auto& p : f.proxies) thresholds += p.threshold;
  if (work == 0) return 1;
  return static_cast<std::int64_t>(std::max<wide>(1, 60 * jobs * thresholds / work));
}

domain::schedule rate_limited_starts(const domain::fleet& f, const domain::counting& c,
                                     std::int64_t rate) {
  domain::schedule starts = domain::requested_schedule(f);
  const auto order = rollout_order(f, c);
  for (std::size_t k = 0; k < order.size(); ++k) {
    auto& start = starts[order[k]];
    if (k >= static_cast<std::size_t>(rate))
      start = std::max(start, starts[order[k - static_cast<std::size_t>(rate)]] + 60);
  }
  return starts;
}

warned_plan adjusted_starts(const domain::fleet& f, const domain::counting& c,
                            domain::interval horizon) {
  const auto before = domain::detect(f, c, domain::requested_schedule(f), horizon);
  auto plan = domain::adjust(f, c, before);
  warned_plan out{std::move(plan.starts), static_cast<std::int64_t>(plan.unschedulable.size())};
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (out.starts[j] == domain::unscheduled) out.starts[j] = f.jobs[j].start;
  return out;
}

}  // namespace headroom::sim
