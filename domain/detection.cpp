#include "domain/detection.hpp"

#include <algorithm>
#include <numeric>

namespace headroom::domain {
namespace {

/// Adds each counted job to the windows it intersects on the proxies of its path.
/// `range_of[p]` holds the positions of proxy p's windows, which are ordered by start.
void attribute_jobs(const fleet& f, const counting& c, const schedule& starts,
                    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& range_of,
                    std::vector<overload_window>& windows) {
  if (windows.empty()) return;
  // The window bounds side by side, so that a million binary searches stay in cache.
  std::vector<instant> window_start(windows.size()), window_end(windows.size());
  for (std::size_t w = 0; w < windows.size(); ++w) {
    window_start[w] = windows[w].span.start;
    window_end[w] = windows[w].span.end;
  }
  // (window, job) pairs first, then each list allocated once at its size.
  std::vector<std::pair<std::uint32_t, index_t>> hits;
  std::vector<std::uint32_t> sizes(windows.size(), 0);
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!c.job_counts[j] || starts[j] == unscheduled) continue;
    const interval span{starts[j], starts[j] + f.jobs[j].duration_s};
    for (index_t p : f.devices[f.jobs[j].device].path) {
      const auto [first, last] = range_of[p];
      if (first == last) continue;
      // The first window ending after the job starts, then every one starting before it ends.
      auto w = static_cast<std::uint32_t>(
          std::upper_bound(window_end.begin() + first, window_end.begin() + last, span.start) -
          window_end.begin());
      for (; w < last && window_start[w] < span.end; ++w) {
        hits.emplace_back(w, j);
        ++sizes[w];
      }
    }
  }
  for (std::size_t w = 0; w < windows.size(); ++w) windows[w].jobs.reserve(sizes[w]);
  for (const auto& [w, j] : hits) windows[w].jobs.push_back(j);
  // Each list is in index order; that is id order too unless the fleet lists jobs out of id order.
  bool index_order_is_id_order = true;
  for (std::size_t j = 1; j < f.jobs.size() && index_order_is_id_order; ++j)
    index_order_is_id_order = f.jobs[j - 1].id < f.jobs[j].id;
  if (index_order_is_id_order) return;
  std::vector<index_t> by_id(f.jobs.size());
  std::iota(by_id.begin(), by_id.end(), 0);
  std::sort(by_id.begin(), by_id.end(),
            [&](index_t a, index_t b) { return f.jobs[a].id < f.jobs[b].id; });
  std::vector<index_t> rank(f.jobs.size());
  for (index_t r = 0; r < by_id.size(); ++r) rank[by_id[r]] = r;
  for (auto& w : windows)
    std::sort(w.jobs.begin(), w.jobs.end(),
              [&](index_t a, index_t b) { return rank[a] < rank[b]; });
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
  // Proxies in id order, so that the windows come out ordered by proxy id, then start.
  std::vector<index_t> by_id(f.proxies.size());
  std::iota(by_id.begin(), by_id.end(), 0);
  std::sort(by_id.begin(), by_id.end(),
            [&](index_t a, index_t b) { return f.proxies[a].id < f.proxies[b].id; });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> range_of(f.proxies.size());
  for (index_t p : by_id) {
    range_of[p].first = static_cast<std::uint32_t>(out.windows.size());
    for (auto& w : find_windows(p, out.profile.proxies[p], f.proxies[p].threshold, horizon))
      out.windows.push_back(std::move(w));
    range_of[p].second = static_cast<std::uint32_t>(out.windows.size());
  }
  attribute_jobs(f, c, starts, range_of, out.windows);
  return out;
}

}  // namespace headroom::domain
