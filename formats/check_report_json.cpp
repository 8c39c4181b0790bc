#include <algorithm>
#include <nlohmann/json.hpp>

#include "formats/check_report.hpp"

namespace headroom::formats {
namespace {

using json = nlohmann::ordered_json;
using domain::format_utc;

json windows_json(const domain::fleet& f, const std::vector<domain::overload_window>& windows) {
  json out = json::array();
  for (const auto& w : windows) {
    json jobs = json::array();
    for (auto j : w.jobs) jobs.push_back(f.jobs[j].id);
    out.push_back({{"proxy", f.proxies[w.proxy].id},
                   {"start", format_utc(w.span.start)},
                   {"end", format_utc(w.span.end)},
                   {"peak", w.peak},
                   {"threshold", w.threshold},
                   {"jobs", std::move(jobs)}});
  }
  return out;
}

template <class Items>
Items by_job_id(const domain::fleet& f, Items items) {
  std::sort(items.begin(), items.end(),
            [&](const auto& a, const auto& b) { return f.jobs[a.job].id < f.jobs[b.job].id; });
  return items;
}

}  // namespace

void write_check_json(const check_result& r, std::ostream& out) {
  const auto& f = r.fleet;
  json report = {{"windows", windows_json(f, r.before.windows)}};
  json ignored = json::array();
  for (const auto& i : r.counting.ignored)
    ignored.push_back({{"job", f.jobs[i.job].id}, {"reason", i.reason}});
  report["ignored_jobs"] = std::move(ignored);
  if (r.plan) {
    json moved = json::array();
    for (const auto& a : by_job_id(f, r.plan->moved))
      moved.push_back(
          {{"job", f.jobs[a.job].id}, {"from", format_utc(a.from)}, {"to", format_utc(a.to)}});
    json unschedulable = json::array();
    for (const auto& u : by_job_id(f, r.plan->unschedulable))
      unschedulable.push_back({{"job", f.jobs[u.job].id}, {"reason", u.reason}});
    report["adjustments"] = std::move(moved);
    report["unschedulable"] = std::move(unschedulable);
    report["windows_after"] = windows_json(f, r.after->windows);
  }
  out << report.dump() << "\n";
}

}  // namespace headroom::formats
