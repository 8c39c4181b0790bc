#include "domain/tracked_proxy.hpp"

#include <algorithm>
#include <limits>

namespace headroom::domain {
namespace {

/// Trims what a vector's growth while it was built left unused, keeping an eighth
/// spare so that the first changes do not double it straight back.
template <class T>
void trim(std::vector<T>& v) {
  if (v.capacity() <= v.size() + v.size() / 8 + 8) return;
  std::vector<T> trimmed;
  trimmed.reserve(v.size() + v.size() / 8 + 8);
  trimmed.assign(v.begin(), v.end());
  v.swap(trimmed);
}

}  // namespace

tracked_proxy::tracked_proxy(index_t proxy, std::int32_t threshold, interval horizon,
                             load_timeline initial)
    : proxy_(proxy), threshold_(threshold), horizon_(horizon), steps_(std::move(initial)) {
  if (steps_.empty() || steps_.front().at != horizon_.start)
    steps_.insert(steps_.begin(), {horizon_.start, 0});
  trim(steps_);
  for (auto& w : find_windows(proxy_, steps_, threshold_, horizon_))
    windows_.push_back({{w.span, w.peak}, std::nullopt});
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
  const auto first =
      std::lower_bound(windows_.begin(), windows_.end(), lo,
                       [](const window_state& w, instant t) { return w.bounds.span.end < t; });
  auto last = first;
  while (last != windows_.end() && last->bounds.span.start <= hi) ++last;
  instant from = lo, to = hi;
  if (first != last) {
    from = std::min(from, first->bounds.span.start);
    to = std::max(to, std::prev(last)->bounds.span.end);
  }
  std::vector<window_state> rebuilt;
  auto k = static_cast<std::size_t>(
      std::upper_bound(steps_.begin(), steps_.end(), from,
                       [](instant x, const load_step& s) { return x < s.at; }) -
      steps_.begin() - 1);
  for (; k < steps_.size() && steps_[k].at < to; ++k) {
    if (steps_[k].load <= threshold_) continue;
    window_bounds w{{steps_[k].at, horizon_.end}, steps_[k].load};
    for (; k + 1 < steps_.size() && steps_[k + 1].load > threshold_; ++k)
      w.peak = std::max(w.peak, steps_[k + 1].load);
    if (k + 1 < steps_.size()) w.span.end = steps_[k + 1].at;
    rebuilt.push_back({w, std::nullopt});
  }
  // A window over the same span as before has the same jobs: keep its list.
  auto old = first;
  for (auto& w : rebuilt) {
    while (old != last && old->bounds.span.start < w.bounds.span.start) ++old;
    if (old != last && old->bounds.span == w.bounds.span) w.jobs = std::move(old->jobs);
  }
  const auto at = windows_.erase(first, last);
  windows_.insert(at, std::make_move_iterator(rebuilt.begin()),
                  std::make_move_iterator(rebuilt.end()));
}

std::vector<window_bounds> tracked_proxy::windows_touching(
    const std::vector<interval>& ranges) const {
  std::vector<window_bounds> out;
  auto next = windows_.begin();
  for (const interval& r : ranges) {
    auto w = std::lower_bound(next, windows_.end(), r.start, [](const window_state& x, instant t) {
      return x.bounds.span.end < t;
    });
    for (; w != windows_.end() && w->bounds.span.start <= r.end; ++w) out.push_back(w->bounds);
    next = w;
  }
  return out;
}

std::pair<std::size_t, std::size_t> tracked_proxy::windows_hit(interval span) const {
  const auto first =
      std::upper_bound(windows_.begin(), windows_.end(), span.start,
                       [](instant t, const window_state& w) { return t < w.bounds.span.end; });
  auto last = first;
  while (last != windows_.end() && last->bounds.span.start < span.end) ++last;
  if (first == last) return {0, 0};
  return {static_cast<std::size_t>(first - windows_.begin()),
          static_cast<std::size_t>(last - windows_.begin())};
}

void tracked_proxy::insert_job(index_t job, interval span) {
  jobs_.insert({span.start, span.end, job});
  count_length(span.length());
  const auto [first, last] = windows_hit(span);
  for (auto w = first; w < last; ++w)
    if (auto& listed = windows_[w].jobs)
      listed->insert(std::lower_bound(listed->begin(), listed->end(), job), job);
}

void tracked_proxy::count_length(std::int64_t length) {
  if (length > longest_job_ || longest_jobs_ == 0) {
    longest_job_ = std::max<std::int64_t>(length, 0);
    longest_jobs_ = 0;
  }
  if (length == longest_job_) ++longest_jobs_;
}

void tracked_proxy::erase_job(index_t job, interval span) {
  if (!jobs_.erase({span.start, span.end, job})) return;
  const auto [first, last] = windows_hit(span);
  for (auto w = first; w < last; ++w)
    if (auto& listed = windows_[w].jobs) {
      const auto at = std::lower_bound(listed->begin(), listed->end(), job);
      if (at != listed->end() && *at == job) listed->erase(at);
    }
  // The last of the longest jobs left: find the longest again, so that the
  // window lookups stay as short as the jobs now are.
  if (span.length() != longest_job_ || longest_jobs_ == 0 || --longest_jobs_ > 0) return;
  longest_job_ = 0;
  jobs_.visit_from(std::numeric_limits<instant>::min(), [&](const job_span& e) {
    count_length(e.end - e.start);
    return true;
  });
}

void tracked_proxy::append_job(index_t job, interval span) {
  jobs_.append({span.start, span.end, job});
  count_length(span.length());
}

void tracked_proxy::sort_jobs() { jobs_.seal(); }

std::vector<overload_window> tracked_proxy::windows() const {
  std::vector<overload_window> out;
  out.reserve(windows_.size());
  for (const auto& w : windows_) {
    if (!w.jobs) w.jobs = list_jobs(w.bounds);
    out.push_back({proxy_, w.bounds.span, w.bounds.peak, threshold_, *w.jobs});
  }
  return out;
}

std::vector<index_t> tracked_proxy::list_jobs(const window_bounds& w) const {
  std::vector<index_t> out;
  // A job ending after the window's start started after start - longest_job_.
  jobs_.visit_from(w.span.start - longest_job_, [&](const job_span& e) {
    if (e.start >= w.span.end) return false;
    if (e.end > w.span.start) out.push_back(e.job);
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t tracked_proxy::memory_bytes() const {
  std::size_t bytes = steps_.capacity() * sizeof(load_step) +
                      windows_.capacity() * sizeof(window_state) + jobs_.memory_bytes();
  for (const auto& w : windows_)
    if (w.jobs) bytes += w.jobs->capacity() * sizeof(index_t);
  return bytes;
}

}  // namespace headroom::domain
