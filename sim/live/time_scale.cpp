#include "sim/live/time_scale.hpp"

#include <algorithm>

#include "domain/counting.hpp"

namespace headroom::sim {
namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

/// The earliest start of a counted job; the horizon's start when no job counts.
domain::instant earliest_counted_start(const domain::fleet& f) {
  const auto counting = domain::count_communications(f);
  std::optional<domain::instant> earliest;
  for (std::size_t j = 0; j < f.jobs.size(); ++j)
    if (counting.job_counts[j] && (!earliest || f.jobs[j].start < *earliest))
      earliest = f.jobs[j].start;
  return earliest ? *earliest : domain::effective_horizon(f).start;
}

}  // namespace

domain::instant time_scale::real(domain::instant v) const {
  return real_origin + floor_div(v - virtual_origin, speed);
}

std::int64_t time_scale::span(std::int64_t virtual_s) const {
  return std::max<std::int64_t>(1, (virtual_s + speed / 2) / speed);
}

scaled_fleet scale_fleet(const domain::fleet& f, std::int64_t speed, domain::instant real_origin) {
  scaled_fleet out{f, {earliest_counted_start(f), real_origin, std::max<std::int64_t>(1, speed)}};
  const auto& scale = out.scale;
  auto& g = out.fleet;
  if (f.horizon) {
    const auto start = scale.real(f.horizon->start);
    g.horizon = domain::interval{start, std::max(start + 1, scale.real(f.horizon->end))};
  }
  for (auto& c : g.customers) {
    out.maintenance_windows_dropped += static_cast<std::int64_t>(c.maintenance_windows.size());
    c.maintenance_windows.clear();
  }
  for (auto& j : g.jobs) {
    const auto virtual_end = j.start + j.duration_s;
    j.start = scale.real(j.start);
    j.duration_s = scale.span(j.duration_s);
    if (j.deadline) {
      // A job that could meet its deadline still can: rounding must not make it late.
      const bool reachable = virtual_end <= *j.deadline;
      const auto deadline = scale.real(*j.deadline);
      j.deadline = reachable ? std::max(deadline, j.start + j.duration_s) : deadline;
    }
  }
  for (auto& s : g.services) {
    s.first_start = scale.real(s.first_start);
    s.duration_s = scale.span(s.duration_s);
    s.every_s = std::max(scale.span(s.every_s), s.duration_s);
  }
  return out;
}

}  // namespace headroom::sim
