#include "domain/load_profile.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <map>
#include <utility>

namespace headroom::domain {
namespace {

// An event packs its time offset from the horizon's start above a biased 24-bit
// delta, so that a proxy's events sort as plain integers (time first).
constexpr int delta_bits = 24;
constexpr std::int64_t delta_bias = std::int64_t{1} << (delta_bits - 1);
constexpr std::int64_t max_delta = delta_bias - 1;

class event_buckets {
 public:
  event_buckets(std::size_t proxies, interval horizon) : buckets_(proxies), horizon_(horizon) {}

  /// Adds `weight` devices to `proxy` over `span` (clipped to the horizon); a negative
  /// weight takes them away.
  void add(index_t proxy, interval span, std::int64_t weight) {
    span.start = std::max(span.start, horizon_.start);
    span.end = std::min(span.end, horizon_.end);
    if (span.empty()) return;
    const std::int64_t sign = weight < 0 ? -1 : 1;
    for (std::int64_t left = sign * weight; left > 0; left -= max_delta) {
      const std::int64_t w = sign * std::min(left, max_delta);
      push(proxy, span.start, w);
      push(proxy, span.end, -w);
    }
  }

  void reserve(index_t proxy, std::size_t events) { buckets_[proxy].reserve(events); }

  /// Sorts and sweeps every bucket into a step function, releasing the events; with
  /// `base` (a step function per proxy), each proxy's events are added to its steps.
  std::vector<load_timeline> sweep(const std::vector<load_timeline>* base = nullptr) {
    std::vector<load_timeline> out(buckets_.size());
    std::vector<std::uint64_t> scratch;
    const int time_bits = std::bit_width(static_cast<std::uint64_t>(horizon_.length()));
    const load_timeline none;
    for (std::size_t p = 0; p < buckets_.size(); ++p) {
      auto& events = buckets_[p];
      const load_timeline& under = base != nullptr ? (*base)[p] : none;
      if (events.empty() && !under.empty()) {
        out[p] = under;
        continue;
      }
      sort_by_time(events, scratch, time_bits);
      load_timeline& steps = out[p];
      steps.push_back({horizon_.start, 0});
      std::int64_t load = 0, under_load = 0;
      for (std::size_t i = 0, k = 0; i < events.size() || k < under.size();) {
        const instant next_event = i < events.size() ? time_of(events[i]) : max_instant;
        const instant at = std::min(next_event, k < under.size() ? under[k].at : max_instant);
        for (; i < events.size() && time_of(events[i]) == at; ++i)
          load += static_cast<std::int64_t>(events[i] & ((1u << delta_bits) - 1)) - delta_bias;
        if (k < under.size() && under[k].at == at) under_load = under[k++].load;
        const std::int64_t total = load + under_load;
        if (at >= horizon_.end || total == steps.back().load) continue;
        if (steps.back().at == at)
          steps.back().load = static_cast<std::int32_t>(total);
        else
          steps.push_back({at, static_cast<std::int32_t>(total)});
      }
      std::vector<std::uint64_t>().swap(events);
    }
    return out;
  }

 private:
  /// Orders events by time only (all events of an instant are summed before the load
  /// is read): a least-significant-digit radix sort over the time bits, three passes
  /// for a week's horizon, where a comparison sort would take log n.
  static void sort_by_time(std::vector<std::uint64_t>& events, std::vector<std::uint64_t>& scratch,
                           int time_bits) {
    constexpr int digit_bits = 8;
    constexpr std::size_t digits = std::size_t{1} << digit_bits;
    if (events.size() < digits) {
      std::sort(events.begin(), events.end());
      return;
    }
    scratch.resize(events.size());
    for (int shift = delta_bits; shift < delta_bits + time_bits; shift += digit_bits) {
      std::array<std::uint32_t, digits> position{};
      for (const auto e : events) ++position[(e >> shift) & (digits - 1)];
      std::uint32_t sum = 0;
      for (auto& p : position) sum += std::exchange(p, sum);
      for (const auto e : events) scratch[position[(e >> shift) & (digits - 1)]++] = e;
      events.swap(scratch);
    }
  }

  static constexpr instant max_instant = std::numeric_limits<instant>::max();

  [[nodiscard]] instant time_of(std::uint64_t event) const {
    return horizon_.start + static_cast<instant>(event >> delta_bits);
  }

  void push(index_t proxy, instant at, std::int64_t delta) {
    const auto offset = static_cast<std::uint64_t>(at - horizon_.start);
    buckets_[proxy].push_back(offset << delta_bits |
                              static_cast<std::uint64_t>(delta + delta_bias));
  }

  std::vector<std::vector<std::uint64_t>> buckets_;
  interval horizon_;
};

/// Appends `span` minus the device's own service occurrences, which already count it.
void subtract_services(const std::vector<periodic>* group, interval span,
                       std::vector<interval>& out) {
  if (group == nullptr) {
    out.push_back(span);
    return;
  }
  instant cursor = span.start;
  for (const interval& busy : occurrences_union(*group, span)) {
    if (busy.start > cursor) out.push_back({cursor, busy.start});
    cursor = std::max(cursor, busy.end);
  }
  if (cursor < span.end) out.push_back({cursor, span.end});
}

/// Per group, how many of its devices sit behind each proxy.
std::vector<std::vector<std::pair<index_t, std::int64_t>>> group_weights(const fleet& f,
                                                                         const counting& c) {
  std::vector<std::vector<std::pair<index_t, std::int64_t>>> weights(c.groups.size());
  for (index_t d = 0; d < f.devices.size(); ++d) {
    if (c.device_group[d] == no_group) continue;
    auto& w = weights[c.device_group[d]];
    for (index_t p : f.devices[d].path) {
      auto it = std::find_if(w.begin(), w.end(), [p](const auto& e) { return e.first == p; });
      if (it == w.end())
        w.emplace_back(p, 1);
      else
        ++it->second;
    }
  }
  return weights;
}

void add_services(const fleet& f, const counting& c, interval horizon, event_buckets& buckets) {
  const auto weights = group_weights(f, c);
  // A group whose patterns never overlap adds pattern by pattern, and the same
  // pattern on the same proxy is then expanded once for every group that has it:
  // a customer-wide poll costs one expansion per proxy, not one per device mix.
  std::map<std::pair<periodic, index_t>, std::int64_t> additive;
  for (index_t g = 0; g < c.groups.size(); ++g) {
    if (pairwise_disjoint(c.groups[g])) {
      for (const periodic& pattern : c.groups[g])
        for (const auto& [p, weight] : weights[g]) additive[{pattern, p}] += weight;
      continue;
    }
    for (const interval& o : occurrences_union(c.groups[g], horizon))
      for (const auto& [p, weight] : weights[g]) buckets.add(p, o, weight);
  }
  // Not a structured binding: clang 14 (the fuzz preset) cannot capture one in a lambda.
  for (const auto& entry : additive)
    for_each_occurrence(entry.first.first, horizon,
                        [&](interval o) { buckets.add(entry.first.second, o, entry.second); });
}

/// The pieces of time `device` is active with these job spans beyond its own services:
/// what its jobs add to each proxy of its path. Sorts and merges `spans`.
void job_pieces(const counting& c, index_t device, std::vector<interval>& spans,
                std::vector<interval>& pieces) {
  const auto* group =
      c.device_group[device] == no_group ? nullptr : &c.groups[c.device_group[device]];
  sort_and_merge(spans);
  pieces.clear();
  for (const interval& s : spans) subtract_services(group, s, pieces);
}

void add_jobs(const fleet& f, const counting& c, const schedule& starts, event_buckets& buckets) {
  std::vector<std::uint32_t> jobs_of(f.devices.size(), 0);
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (loads_under(c, starts, j)) ++jobs_of[f.jobs[j].device];
  // Most devices have one job and no service: their job loads the path as it is.
  // The others need the union of their communications: they are gathered by device.
  std::vector<std::pair<index_t, index_t>> shared;
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!loads_under(c, starts, j)) continue;
    const index_t d = f.jobs[j].device;
    if (jobs_of[d] > 1 || c.device_group[d] != no_group) {
      shared.emplace_back(d, j);
      continue;
    }
    for (index_t p : f.devices[d].path)
      buckets.add(p, {starts[j], starts[j] + f.jobs[j].duration_s}, 1);
  }
  std::sort(shared.begin(), shared.end());
  std::vector<interval> spans, pieces;
  for (std::size_t k = 0; k < shared.size();) {
    const index_t d = shared[k].first;
    spans.clear();
    for (; k < shared.size() && shared[k].first == d; ++k) {
      const index_t j = shared[k].second;
      spans.push_back({starts[j], starts[j] + f.jobs[j].duration_s});
    }
    job_pieces(c, d, spans, pieces);
    for (index_t p : f.devices[d].path)
      for (const interval& piece : pieces) buckets.add(p, piece, 1);
  }
}

}  // namespace

schedule requested_schedule(const fleet& f) {
  schedule out(f.jobs.size());
  for (std::size_t j = 0; j < f.jobs.size(); ++j) out[j] = f.jobs[j].start;
  return out;
}

load_profile build_load_profile(const fleet& f, const counting& c, const schedule& starts,
                                interval horizon) {
  event_buckets buckets(f.proxies.size(), horizon);
  if (f.jobs.size() > f.proxies.size()) {
    std::vector<std::size_t> expected(f.proxies.size(), 0);
    for (index_t j = 0; j < f.jobs.size(); ++j)
      if (c.job_counts[j])
        for (index_t p : f.devices[f.jobs[j].device].path) expected[p] += 2;
    for (index_t p = 0; p < f.proxies.size(); ++p) buckets.reserve(p, expected[p]);
  }
  add_services(f, c, horizon, buckets);
  add_jobs(f, c, starts, buckets);
  return {horizon, buckets.sweep()};
}

load_profile without_jobs(const fleet& f, const counting& c, const schedule& starts,
                          const load_profile& under_starts, const std::vector<index_t>& left_out) {
  const interval horizon = under_starts.horizon;
  std::vector<std::uint8_t> leaving(f.jobs.size(), 0), touched(f.devices.size(), 0);
  for (index_t j : left_out)
    if (loads_under(c, starts, j)) {
      leaving[j] = 1;
      touched[f.jobs[j].device] = 1;
    }
  std::vector<std::pair<index_t, index_t>> jobs;  // (device, job) of the touched devices
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (loads_under(c, starts, j) && touched[f.jobs[j].device])
      jobs.emplace_back(f.jobs[j].device, j);
  std::sort(jobs.begin(), jobs.end());
  // Each touched device's pieces with all its jobs go, and those with the jobs it keeps
  // come: a device counts once however many of its communications overlap.
  event_buckets buckets(f.proxies.size(), horizon);
  std::vector<interval> all, kept, pieces;
  for (std::size_t k = 0; k < jobs.size();) {
    const index_t d = jobs[k].first;
    all.clear();
    kept.clear();
    for (; k < jobs.size() && jobs[k].first == d; ++k) {
      const index_t j = jobs[k].second;
      const interval span{starts[j], starts[j] + f.jobs[j].duration_s};
      all.push_back(span);
      if (!leaving[j]) kept.push_back(span);
    }
    for (auto [spans, sign] : {std::pair{&all, -1}, std::pair{&kept, 1}}) {
      job_pieces(c, d, *spans, pieces);
      for (index_t p : f.devices[d].path)
        for (const interval& piece : pieces) buckets.add(p, piece, sign);
    }
  }
  return {horizon, buckets.sweep(&under_starts.proxies)};
}

std::int32_t load_at(const load_timeline& timeline, instant t) {
  auto it = std::upper_bound(timeline.begin(), timeline.end(), t,
                             [](instant x, const load_step& s) { return x < s.at; });
  return it == timeline.begin() ? 0 : std::prev(it)->load;
}

}  // namespace headroom::domain
