// The rules of claim 7, checked on a finished plan (adjuster.hpp declares it).
#include <algorithm>

#include "domain/adjuster.hpp"
#include "domain/maintenance.hpp"

namespace headroom::domain {
namespace {

std::string job_rule(const fleet& f, const adjustment_plan& plan, index_t j, bool unplaced,
                     interval horizon) {
  const job& jb = f.jobs[j];
  const instant start = plan.starts[j];
  if (start == unscheduled) return unplaced ? "" : "left out but not reported unschedulable";
  if (unplaced) return "reported unschedulable but scheduled";
  if (start < jb.start) return "starts before its requested start";
  const instant end = start + jb.duration_s;
  if (jb.deadline && end > *jb.deadline) return "ends after its deadline";
  if (end > horizon.end) return "ends after the horizon's end";
  const customer& c = f.customers[f.devices[jb.device].customer];
  if (start == jb.start || c.maintenance_windows.empty()) return "";
  const auto windows = maintenance_occurrences(c, {start, end});
  const bool inside = std::any_of(windows.begin(), windows.end(), [&](const interval& w) {
    return w.start <= start && end <= w.end;
  });
  return inside ? "" : "moved outside its customer's maintenance windows";
}

}  // namespace

std::vector<std::string> rule_violations(const fleet& f, const detection& before,
                                         const adjustment_plan& plan, const detection& after) {
  std::vector<std::string> out;
  const interval horizon = before.profile.horizon;
  const auto movable = movable_jobs(before);
  if (movable != plan.movable)
    out.emplace_back("the plan's movable jobs differ from the windows' jobs");
  std::vector<std::uint8_t> is_movable(f.jobs.size(), 0), unplaced(f.jobs.size(), 0);
  for (index_t j : movable) is_movable[j] = 1;
  for (const auto& u : plan.unschedulable) unplaced[u.job] = 1;
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!is_movable[j]) {
      if (plan.starts[j] != f.jobs[j].start)
        out.push_back("job " + f.jobs[j].id + " is not movable but moved");
      continue;
    }
    if (auto broken = job_rule(f, plan, j, unplaced[j] != 0, horizon); !broken.empty())
      out.push_back("job " + f.jobs[j].id + " " + broken);
  }
  for (const auto& m : plan.moved)
    if (plan.starts[m.job] != m.to || m.from != f.jobs[m.job].start || m.to == m.from)
      out.push_back("adjustment of job " + f.jobs[m.job].id + " disagrees with the schedule");
  for (const auto& w : after.windows)
    for (index_t j : w.jobs)
      if (is_movable[j])
        out.push_back("job " + f.jobs[j].id + " is active on " + f.proxies[w.proxy].id +
                      " while it is overloaded at " + format_utc(w.span.start));
  return out;
}

}  // namespace headroom::domain
