#include "domain/detection.hpp"

#include <algorithm>
#include <numeric>

namespace headroom::domain {
namespace {

/// A counted job's span on one proxy of its path.
struct job_span {
  instant start = 0;
  instant end = 0;
  index_t job = 0;
};

/// The counted, scheduled jobs grouped by the proxies of their paths, in job order within
/// each proxy, so that each proxy's windows are then searched while they are in cache: a
/// search per job over the whole fleet's windows missed the cache at every step and was
/// most of detection's time.
std::vector<job_span> jobs_by_proxy(const fleet& f, const counting& c, const schedule& starts,
                                    std::vector<std::uint32_t>& offset) {
  offset.assign(f.proxies.size() + 1, 0);
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (loads_under(c, starts, j))
      for (index_t p : f.devices[f.jobs[j].device].path) ++offset[p + 1];
  for (std::size_t p = 1; p < offset.size(); ++p) offset[p] += offset[p - 1];
  std::vector<job_span> out(offset.back());
  std::vector<std::uint32_t> next(offset.begin(), offset.end() - 1);
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!loads_under(c, starts, j)) continue;
    const job_span span{starts[j], starts[j] + f.jobs[j].duration_s, j};
    for (index_t p : f.devices[f.jobs[j].device].path) out[next[p]++] = span;
  }
  return out;
}

/// The position of the first of the sorted `ends` after `t`, without branches to
/// mispredict: job starts come in no order, so a branching search guesses wrong half the time.
std::size_t first_after(const std::vector<instant>& ends, instant t) {
  const instant* base = ends.data();
  std::size_t n = ends.size();
  while (n > 1) {
    const std::size_t half = n / 2;
    base = base[half - 1] <= t ? base + half : base;
    n -= half;
  }
  return static_cast<std::size_t>(base - ends.data()) + (n == 1 && *base <= t ? 1 : 0);
}

/// Adds each counted job to the windows it intersects on the proxies of its path.
/// `range_of[p]` holds the positions of proxy p's windows, which are ordered by start.
void attribute_jobs(const fleet& f, const counting& c, const schedule& starts,
                    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& range_of,
                    std::vector<overload_window>& windows) {
  if (windows.empty()) return;
  std::vector<std::uint32_t> offset;
  const auto spans = jobs_by_proxy(f, c, starts, offset);
  std::vector<instant> window_start, window_end;
  // A proxy's (window, job) pairs first, then each list allocated once at its size.
  std::vector<std::pair<std::uint32_t, index_t>> hits;
  std::vector<std::uint32_t> sizes;
  for (std::size_t p = 0; p < range_of.size(); ++p) {
    const auto [first, last] = range_of[p];
    if (first == last) continue;
    window_start.clear();
    window_end.clear();
    for (auto w = first; w < last; ++w) {
      window_start.push_back(windows[w].span.start);
      window_end.push_back(windows[w].span.end);
    }
    hits.clear();
    sizes.assign(last - first, 0);
    for (auto k = offset[p]; k < offset[p + 1]; ++k) {
      const job_span& span = spans[k];
      // The first window ending after the job starts, then every one starting before it ends.
      for (auto w = first_after(window_end, span.start);
           w < window_end.size() && window_start[w] < span.end; ++w) {
        hits.emplace_back(static_cast<std::uint32_t>(w), span.job);
        ++sizes[w];
      }
    }
    for (auto w = first; w < last; ++w) windows[w].jobs.reserve(sizes[w - first]);
    for (const auto& [w, j] : hits) windows[first + w].jobs.push_back(j);
  }
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
