#include "sim/metrics.hpp"

#include <algorithm>
#include <limits>

namespace headroom::sim {

using domain::index_t;
using domain::instant;

fleet_facts examine(const domain::fleet& f, const domain::counting& c) {
  fleet_facts facts;
  facts.earliest_start = std::numeric_limits<instant>::max();
  std::vector<instant> earliest_on(f.proxies.size(), std::numeric_limits<instant>::max());
  std::vector<std::int64_t> work_on(f.proxies.size(), 0);
  instant latest_end = std::numeric_limits<instant>::min();
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!c.job_counts[j]) continue;
    const auto& job = f.jobs[j];
    ++facts.jobs;
    facts.earliest_start = std::min(facts.earliest_start, job.start);
    latest_end = std::max(latest_end, job.start + job.duration_s);
    for (index_t p : f.devices[job.device].path) {
      earliest_on[p] = std::min(earliest_on[p], job.start);
      work_on[p] += job.duration_s;
    }
  }
  if (facts.jobs == 0) {
    facts.earliest_start = 0;
    return facts;
  }
  instant bound = latest_end;
  for (index_t p = 0; p < f.proxies.size(); ++p) {
    if (work_on[p] == 0) continue;
    const std::int64_t threshold = f.proxies[p].threshold;  // validated: positive
    bound = std::max(bound, earliest_on[p] + (work_on[p] + threshold - 1) / threshold);
  }
  facts.makespan_lower_bound_s = bound - facts.earliest_start;
  return facts;
}

void summarise(const domain::fleet& f, const fleet_facts& facts, strategy_result& out) {
  out.jobs = facts.jobs;
  out.makespan_lower_bound_s = facts.makespan_lower_bound_s;
  out.succeeded = out.failed = out.late = 0;
  std::vector<std::int64_t> displacement;
  std::optional<instant> last_end;
  for (const auto& o : out.outcomes) {
    const auto& job = f.jobs[o.job];
    if (!o.succeeded) {
      ++out.failed;
      continue;
    }
    ++out.succeeded;
    if (job.deadline && *o.end > *job.deadline) ++out.late;
    last_end = std::max(last_end.value_or(*o.end), *o.end);
    displacement.push_back(*o.start - job.start);
  }
  out.makespan_s = last_end ? *last_end - facts.earliest_start : 0;
  out.displacement = {};
  if (displacement.empty()) return;
  std::sort(displacement.begin(), displacement.end());
  double sum = 0;
  for (auto d : displacement) sum += static_cast<double>(d);
  out.displacement.mean = sum / static_cast<double>(displacement.size());
  // Nearest rank: the ceil(0.95 n)-th smallest.
  const std::size_t rank = (displacement.size() * 95 + 99) / 100;
  out.displacement.p95 = displacement[rank - 1];
  out.displacement.max = displacement.back();
}

}  // namespace headroom::sim
