#include "domain/tracked_proxy.hpp"

#include <algorithm>

namespace headroom::domain {

tracked_proxy::tracked_proxy(index_t proxy, std::int32_t threshold, interval horizon, load_timeline initial)
    : proxy_(proxy), threshold_(threshold), horizon_(horizon), steps_(std::move(initial)) {
  if (steps_.empty() || steps_.front().at != horizon_.start) steps_.insert(steps_.begin(), {horizon_.start, 0});
  for (auto& w : find_windows(proxy_, steps_, threshold_, horizon_)) windows_.push_back({w.span, w.peak});
}

std::size_t tracked_proxy::split_at(instant t) {
  // The first step is at the horizon's start <= t, so the step holding t exists.
  auto after = std::upper_bound(steps_.begin(), steps_.end(), t,
                                [](instant x, const load_step& s) { return x < s.at; });
  const auto holding = std::prev(after);
  if (holding->at == t) return static_cast<std::size_t>(holding - steps_.begin());
  const std::int32_t load = holding->load;
  const auto inserted = steps_.insert(after, {t, load});  // may reallocate: begin() only after
  return static_cast<std::size_t>(inserted - steps_.begin());
}

void tracked_proxy::add(interval span, std::int32_t delta) {
  span.start = std::max(span.start, horizon_.start);
  span.end = std::min(span.end, horizon_.end);
  if (span.empty() || delta == 0) return;
  const std::size_t first = split_at(span.start);
  const std::size_t last = span.end < horizon_.end ? split_at(span.end) : steps_.size();
  for (std::size_t k = first; k < last; ++k) steps_[k].load += delta;
  // Every step inside moved by the same delta, so only the two edges can now repeat a load.
  if (last < steps_.size() && steps_[last].load == steps_[last - 1].load)
    steps_.erase(steps_.begin() + static_cast<std::ptrdiff_t>(last));
  if (first > 0 && steps_[first].load == steps_[first - 1].load)
    steps_.erase(steps_.begin() + static_cast<std::ptrdiff_t>(first));
  refresh_windows(span.start, span.end);
}

void tracked_proxy::refresh_windows(instant lo, instant hi) {
  // Windows that neither intersect nor touch [lo, hi] keep their bounds: the load
  // outside [lo, hi) did not change, and the load just outside each of them is at
  // most the threshold. The touching ones are rebuilt from the steps over [from, to),
  // where the load just before `from` and at `to` is at most the threshold.
  const auto first = std::lower_bound(windows_.begin(), windows_.end(), lo,
                                      [](const window_bounds& w, instant t) { return w.span.end < t; });
  auto last = first;
  while (last != windows_.end() && last->span.start <= hi) ++last;
  instant from = lo, to = hi;
  if (first != last) {
    from = std::min(from, first->span.start);
    to = std::max(to, std::prev(last)->span.end);
  }
  std::vector<window_bounds> rebuilt;
  auto k = static_cast<std::size_t>(std::upper_bound(steps_.begin(), steps_.end(), from,
                                                     [](instant x, const load_step& s) { return x < s.at; }) -
                                    steps_.begin() - 1);
  for (; k < steps_.size() && steps_[k].at < to; ++k) {
    if (steps_[k].load <= threshold_) continue;
    window_bounds w{{steps_[k].at, horizon_.end}, steps_[k].load};
    for (; k + 1 < steps_.size() && steps_[k + 1].load > threshold_; ++k) w.peak = std::max(w.peak, steps_[k + 1].load);
    if (k + 1 < steps_.size()) w.span.end = steps_[k + 1].at;
    rebuilt.push_back(w);
  }
  const auto at = windows_.erase(first, last);
  windows_.insert(at, rebuilt.begin(), rebuilt.end());
}

std::vector<window_bounds> tracked_proxy::windows_touching(const std::vector<interval>& ranges) const {
  std::vector<window_bounds> out;
  auto next = windows_.begin();
  for (const interval& r : ranges) {
    auto w = std::lower_bound(next, windows_.end(), r.start,
                              [](const window_bounds& x, instant t) { return x.span.end < t; });
    for (; w != windows_.end() && w->span.start <= r.end; ++w) out.push_back(*w);
    next = w;
  }
  return out;
}

std::pair<std::size_t, std::size_t> tracked_proxy::windows_hit(interval span) const {
  const auto first = std::upper_bound(windows_.begin(), windows_.end(), span.start,
                                      [](instant t, const window_bounds& w) { return t < w.span.end; });
  auto last = first;
  while (last != windows_.end() && last->span.start < span.end) ++last;
  if (first == last) return {0, 0};
  return {static_cast<std::size_t>(first - windows_.begin()), static_cast<std::size_t>(last - windows_.begin())};
}

void tracked_proxy::insert_job(index_t job, interval span) {
  const job_entry e{span.start, span.end, job};
  jobs_.insert(std::lower_bound(jobs_.begin(), jobs_.end(), e), e);
  longest_job_ = std::max(longest_job_, span.length());
}

void tracked_proxy::erase_job(index_t job, interval span) {
  const job_entry e{span.start, span.end, job};
  const auto it = std::lower_bound(jobs_.begin(), jobs_.end(), e);
  if (it != jobs_.end() && *it == e) jobs_.erase(it);
}

void tracked_proxy::append_job(index_t job, interval span) {
  jobs_.push_back({span.start, span.end, job});
  longest_job_ = std::max(longest_job_, span.length());
}

void tracked_proxy::sort_jobs() { std::sort(jobs_.begin(), jobs_.end()); }

std::vector<overload_window> tracked_proxy::windows() const {
  std::vector<overload_window> out;
  out.reserve(windows_.size());
  for (const auto& w : windows_) {
    overload_window o{proxy_, w.span, w.peak, threshold_, {}};
    // A job ending after the window's start started after start - longest_job_.
    const auto from = std::lower_bound(jobs_.begin(), jobs_.end(), w.span.start - longest_job_,
                                       [](const job_entry& e, instant t) { return e.start < t; });
    for (auto e = from; e != jobs_.end() && e->start < w.span.end; ++e)
      if (e->end > w.span.start) o.jobs.push_back(e->job);
    std::sort(o.jobs.begin(), o.jobs.end());
    out.push_back(std::move(o));
  }
  return out;
}

std::size_t tracked_proxy::memory_bytes() const {
  return steps_.capacity() * sizeof(load_step) + windows_.capacity() * sizeof(window_bounds) +
         jobs_.capacity() * sizeof(job_entry);
}

}  // namespace headroom::domain
