#include "domain/detection.hpp"

#include <algorithm>
#include <numeric>

namespace headroom::domain {
namespace {

/// Adds each counted job to the windows it intersects on the proxies of its path.
void attribute_jobs(const fleet& f, const counting& c, const schedule& starts,
                    std::vector<overload_window>& windows) {
  // Windows of one proxy are contiguous and ordered by start once sorted by (proxy, start).
  std::vector<std::uint32_t> first(f.proxies.size() + 1, 0);
  for (const auto& w : windows) ++first[w.proxy + 1];
  std::partial_sum(first.begin(), first.end(), first.begin());
  if (windows.empty()) return;
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!c.job_counts[j] || starts[j] == unscheduled) continue;
    const interval span{starts[j], starts[j] + f.jobs[j].duration_s};
    for (index_t p : f.devices[f.jobs[j].device].path) {
      const auto begin = windows.begin() + first[p], end = windows.begin() + first[p + 1];
      // The first window ending after the job starts, then every one starting before it ends.
      auto it = std::upper_bound(begin, end, span.start,
                                 [](instant t, const overload_window& w) { return t < w.span.end; });
      for (; it != end && it->span.start < span.end; ++it) it->jobs.push_back(j);
    }
  }
  // Each list is in index order; that is id order too unless the fleet lists jobs out of id order.
  bool index_order_is_id_order = true;
  for (std::size_t j = 1; j < f.jobs.size() && index_order_is_id_order; ++j)
    index_order_is_id_order = f.jobs[j - 1].id < f.jobs[j].id;
  if (index_order_is_id_order) return;
  std::vector<index_t> by_id(f.jobs.size());
  std::iota(by_id.begin(), by_id.end(), 0);
  std::sort(by_id.begin(), by_id.end(), [&](index_t a, index_t b) { return f.jobs[a].id < f.jobs[b].id; });
  std::vector<index_t> rank(f.jobs.size());
  for (index_t r = 0; r < by_id.size(); ++r) rank[by_id[r]] = r;
  for (auto& w : windows)
    std::sort(w.jobs.begin(), w.jobs.end(), [&](index_t a, index_t b) { return rank[a] < rank[b]; });
}

}  // namespace

std::vector<overload_window> find_windows(index_t proxy, const load_timeline& timeline,
                                          std::int32_t threshold, interval horizon) {
  std::vector<overload_window> out;
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    if (timeline[i].load <= threshold) continue;
    overload_window w{proxy, {timeline[i].at, horizon.end}, timeline[i].load, threshold, {}};
    for (; i + 1 < timeline.size() && timeline[i + 1].load > threshold; ++i)
      w.peak = std::max(w.peak, timeline[i + 1].load);
    if (i + 1 < timeline.size()) w.span.end = timeline[i + 1].at;
    out.push_back(std::move(w));
  }
  return out;
}

detection detect(const fleet& f, const counting& c, const schedule& starts, interval horizon) {
  detection out{build_load_profile(f, c, starts, horizon), {}};
  std::vector<index_t> by_id(f.proxies.size());
  std::iota(by_id.begin(), by_id.end(), 0);
  std::sort(by_id.begin(), by_id.end(), [&](index_t a, index_t b) { return f.proxies[a].id < f.proxies[b].id; });
  for (index_t p = 0; p < f.proxies.size(); ++p) {
    auto found = find_windows(p, out.profile.proxies[p], f.proxies[p].threshold, horizon);
    std::move(found.begin(), found.end(), std::back_inserter(out.windows));
  }
  attribute_jobs(f, c, starts, out.windows);
  std::vector<index_t> rank(f.proxies.size());
  for (index_t r = 0; r < by_id.size(); ++r) rank[by_id[r]] = r;
  std::stable_sort(out.windows.begin(), out.windows.end(),
                   [&](const overload_window& a, const overload_window& b) { return rank[a.proxy] < rank[b.proxy]; });
  return out;
}

}  // namespace headroom::domain
