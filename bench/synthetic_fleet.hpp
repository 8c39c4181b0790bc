#pragma once

// Large generated fleets for the benchmarks: one job per device, so that the job
// count is exact, built in memory (writing and parsing a 10-million-job file would
// measure the disk, not the algorithms).

#include <cstdint>
#include <string>

#include "domain/fleet.hpp"
#include "sim/random.hpp"

namespace headroom::bench {

enum class start_pattern {
  spread,    ///< Starts spread over the week: load is near the threshold, windows appear at peaks.
  rollouts,  ///< Each customer starts its jobs at its rollout hour: most jobs sit in a window.
};

inline domain::fleet synthetic_fleet(std::int64_t jobs, std::int64_t proxies, start_pattern pattern,
                                     std::uint64_t seed) {
  sim::random rng(seed);
  const domain::instant t0 = *domain::parse_rfc3339("2026-12-07T00:00:00Z");
  const std::int64_t horizon = 7 * domain::seconds_per_day;
  domain::fleet f;
  f.horizon = domain::interval{t0, t0 + horizon};
  const std::int64_t customers = std::max<std::int64_t>(1, proxies / 5);
  for (std::int64_t c = 0; c < customers; ++c) {
    domain::customer cu{
        "c" + std::to_string(c), {domain::services::software_distribution}, "UTC", {}};
    if (c % 3 != 0)
      cu.maintenance_windows.push_back(
          {static_cast<std::int32_t>(60 * (c % 4)), static_cast<std::int32_t>(60 * (c % 4 + 5))});
    f.customers.push_back(std::move(cu));
  }
  // Mean concurrency per proxy with ~1050 s jobs spread over the week; the threshold sits just
  // above it.
  const double mean = static_cast<double>(jobs) / static_cast<double>(proxies) * 1050.0 /
                      static_cast<double>(horizon);
  for (std::int64_t p = 0; p < proxies; ++p) {
    const auto threshold = static_cast<std::int32_t>(
        std::max(2.0, mean * (pattern == start_pattern::spread ? 1.3 : 2.0)));
    f.proxies.push_back({"px-" + std::to_string(p), threshold + threshold / 4, threshold});
  }
  f.devices.reserve(static_cast<std::size_t>(jobs));
  f.jobs.reserve(static_cast<std::size_t>(jobs));
  const auto width = std::to_string(jobs).size();
  auto padded = [&](const char* prefix, std::int64_t n) {
    std::string digits = std::to_string(n);
    return prefix + std::string(width - digits.size(), '0') + digits;
  };
  for (std::int64_t d = 0; d < jobs; ++d) {
    const auto proxy = static_cast<domain::index_t>(rng.between(0, proxies - 1));
    const auto customer = static_cast<domain::index_t>(proxy % customers);
    domain::device dev{padded("d", d), customer, domain::monitoring_mode::proxy, {proxy}, ""};
    if (proxies > 1 && rng.chance(0.1))
      dev.path.push_back(static_cast<domain::index_t>((proxy + 1) % proxies));
    f.devices.push_back(std::move(dev));
    domain::job j;
    j.id = padded("j", d);
    j.device = static_cast<domain::index_t>(d);
    j.package = "fw-1";
    j.duration_s = rng.between(300, 1800);
    if (pattern == start_pattern::spread) {
      j.start = t0 + rng.between(0, horizon - 2 * 3600);
    } else {
      // One rollout per customer and day: the customer's hour on one of the first four days.
      j.start = t0 + rng.between(0, 3) * domain::seconds_per_day + 3600 * (1 + customer % 4) +
                rng.between(0, 2) * 300;
      if (rng.chance(0.3)) j.deadline = j.start + rng.between(1, 3) * domain::seconds_per_day;
      if (rng.chance(0.1)) j.priority = static_cast<std::int32_t>(rng.between(1, 3));
    }
    f.jobs.push_back(std::move(j));
  }
  return f;
}

}  // namespace headroom::bench
