// The load detector's incremental core (domain::load_tracker) on a generated fleet
// of 100,000 devices behind 1,000 proxies with about 1,000,000 jobs:
//   memory per 1,000,000 jobs (memory_bytes() and RSS growth),
//   one job change + take_changed + windows() of the changed proxies, against a full
//   detect() in the same run,
//   job changes applied per second by 1 tracker on 1 thread and by 2 shard trackers
//   on 2 threads.
// Usage: detector_bench [devices [rollouts [changes]]]. Prints one JSON object;
// progress goes to stderr.
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "domain/detection.hpp"
#include "domain/load_tracker.hpp"
#include "sim/fleet_generator.hpp"
#include "sim/random.hpp"

using namespace headroom;
using domain::index_t;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// CPU seconds of the calling thread: what it would take on a core of its own.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

/// Resident set size in bytes, after handing freed heap back to the system.
std::size_t rss_bytes() {
  malloc_trim(0);
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

struct change {
  index_t job = 0;
  index_t device = 0;
  std::optional<domain::interval> span;
};

/// What the detector sees as the distribution system re-plans: counted jobs moved by
/// up to two hours either way, new duration estimates (half to twice the first), cancellations and
/// re-additions.
std::vector<change> random_changes(const domain::fleet& f, const domain::counting& c,
                                   domain::schedule starts, std::size_t count, std::uint64_t seed) {
  sim::random rng(seed);
  std::vector<index_t> counted;
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (c.job_counts[j]) counted.push_back(j);
  std::vector<std::int64_t> duration(f.jobs.size());
  for (index_t j = 0; j < f.jobs.size(); ++j) duration[j] = f.jobs[j].duration_s;
  const domain::interval h = *f.horizon;
  std::vector<change> out;
  out.reserve(count);
  while (out.size() < count) {
    const index_t j = counted[static_cast<std::size_t>(
        rng.between(0, static_cast<std::int64_t>(counted.size()) - 1))];
    const double kind = rng.unit();
    if (kind < 0.05) {
      starts[j] = domain::unscheduled;
    } else if (kind < 0.10 || starts[j] == domain::unscheduled) {
      starts[j] = f.jobs[j].start;
    } else if (kind < 0.20) {
      duration[j] = std::max<std::int64_t>(60, f.jobs[j].duration_s * rng.between(50, 200) / 100);
    } else {
      starts[j] = std::clamp(starts[j] + rng.between(-7200, 7200), h.start, h.end - duration[j]);
    }
    std::optional<domain::interval> span;
    if (starts[j] != domain::unscheduled)
      span = domain::interval{starts[j], starts[j] + duration[j]};
    out.push_back({j, f.jobs[j].device, span});
  }
  return out;
}

struct applied {
  double seconds = 0;
  double cpu_seconds = 0;
  std::size_t changed_proxies = 0;  ///< Summed over the changes.
  std::size_t windows_read = 0;
};

/// Applies every change as the load detector actor would: place, then read the
/// windows of the proxies that changed.
applied apply(domain::load_tracker& tracker, const std::vector<change>& changes) {
  applied out;
  const auto start = clock_type::now();
  const double cpu_start = thread_cpu_seconds();
  for (const auto& ch : changes) {
    tracker.place(ch.job, ch.device, ch.span);
    for (index_t p : tracker.take_changed()) {
      ++out.changed_proxies;
      out.windows_read += tracker.windows(p).size();
    }
  }
  out.seconds = seconds_since(start);
  out.cpu_seconds = thread_cpu_seconds() - cpu_start;
  return out;
}

/// Whether the tracker's windows of every tracked proxy equal a full detect's.
bool equals_detect(const domain::load_tracker& tracker, const domain::detection& full) {
  std::vector<std::vector<domain::overload_window>> by_proxy(full.profile.proxies.size());
  for (const auto& w : full.windows) by_proxy[w.proxy].push_back(w);
  for (index_t p : tracker.proxies()) {
    const auto mine = tracker.windows(p);
    if (mine.size() != by_proxy[p].size()) return false;
    for (std::size_t k = 0; k < mine.size(); ++k) {
      auto jobs = by_proxy[p][k].jobs;
      std::sort(jobs.begin(), jobs.end());
      if (mine[k].span != by_proxy[p][k].span || mine[k].peak != by_proxy[p][k].peak ||
          mine[k].jobs != jobs)
        return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  sim::fleet_generator_config cfg;
  cfg.devices = argc > 1 ? std::atoll(argv[1]) : 100'000;
  cfg.rollouts = argc > 2 ? std::atoll(argv[2]) : 11;
  const auto change_count = static_cast<std::size_t>(argc > 3 ? std::atoll(argv[3]) : 100'000);
  cfg.proxies = 1000;
  cfg.days = 14;
  cfg.seed = 5;
  if (auto valid = sim::validate(cfg); !valid) {
    std::fprintf(stderr, "detector_bench: %s\n", valid.failure().message().c_str());
    return 2;
  }
  std::fprintf(stderr,
               "detector: generating %lld devices behind 1000 proxies, %lld rollouts each...\n",
               static_cast<long long>(cfg.devices), static_cast<long long>(cfg.rollouts));
  const auto f = sim::generate_fleet(cfg);
  const auto c = domain::count_communications(f);
  const auto starts = domain::requested_schedule(f);
  const domain::interval horizon = *f.horizon;
  std::size_t counted = 0;
  for (auto n : c.job_counts) counted += n;
  std::fprintf(stderr, "  %zu jobs (%zu counted), %zu services\n", f.jobs.size(), counted,
               f.services.size());

  std::fprintf(stderr, "detector: full detect, best of 3...\n");
  double detect_s = 1e30, detect_cpu_s = 1e30;
  std::size_t windows = 0;
  for (int r = 0; r < 3; ++r) {
    const auto start = clock_type::now();
    const double cpu_start = thread_cpu_seconds();
    const auto found = domain::detect(f, c, starts, horizon);
    detect_s = std::min(detect_s, seconds_since(start));
    detect_cpu_s = std::min(detect_cpu_s, thread_cpu_seconds() - cpu_start);
    windows = found.windows.size();
  }
  std::fprintf(stderr, "  %.3f s (%.3f s CPU), %zu windows\n", detect_s, detect_cpu_s, windows);

  // Two shards of equal work: proxies by counted jobs behind them, heaviest first,
  // each to the lighter shard (customers' sizes differ by orders of magnitude).
  std::vector<index_t> all(f.proxies.size()), first_half, second_half;
  std::vector<std::size_t> jobs_behind(f.proxies.size(), 0);
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (c.job_counts[j])
      for (index_t p : f.devices[f.jobs[j].device].path) ++jobs_behind[p];
  for (index_t p = 0; p < all.size(); ++p) all[p] = p;
  auto by_weight = all;
  std::sort(by_weight.begin(), by_weight.end(),
            [&](index_t a, index_t b) { return jobs_behind[a] > jobs_behind[b]; });
  std::size_t weight_a = 0, weight_b = 0;
  for (index_t p : by_weight) {
    const bool to_a = weight_a <= weight_b;
    (to_a ? first_half : second_half).push_back(p);
    (to_a ? weight_a : weight_b) += jobs_behind[p];
  }
  const auto changes = random_changes(f, c, starts, change_count, 11);

  std::fprintf(stderr, "detector: one tracker over every proxy...\n");
  const std::size_t rss_before = rss_bytes();
  auto start = clock_type::now();
  double cpu_start = thread_cpu_seconds();
  std::optional<domain::load_tracker> whole(std::in_place, f, c, starts, horizon, all);
  const double build_s = seconds_since(start), build_cpu_s = thread_cpu_seconds() - cpu_start;
  const std::size_t rss_growth = rss_bytes() - rss_before;
  const std::size_t tracker_bytes = whole->memory_bytes();
  std::fprintf(stderr, "  built in %.3f s (%.3f s CPU), memory_bytes %.1f MB, RSS +%.1f MB\n",
               build_s, build_cpu_s, tracker_bytes / 1e6, rss_growth / 1e6);
  std::fprintf(stderr, "detector: %zu changes on 1 thread...\n", changes.size());
  const auto one = apply(*whole, changes);
  std::fprintf(stderr, "  %.3f s (%.3f s CPU)\n", one.seconds, one.cpu_seconds);

  // The schedule after every change, for the check against a full detect.
  auto final_starts = starts;
  auto final_fleet = f;
  for (const auto& ch : changes) {
    final_starts[ch.job] = ch.span ? ch.span->start : domain::unscheduled;
    if (ch.span) final_fleet.jobs[ch.job].duration_s = ch.span->length();
  }
  const bool exact = equals_detect(*whole, domain::detect(final_fleet, c, final_starts, horizon));
  std::fprintf(stderr, "  windows equal a full detect after the changes: %s\n",
               exact ? "yes" : "NO");
  whole.reset();

  std::fprintf(stderr, "detector: the same changes on 2 shards, 2 threads...\n");
  cpu_start = thread_cpu_seconds();
  domain::load_tracker shard_a(f, c, starts, horizon, first_half);
  const double shard_build_cpu_s = thread_cpu_seconds() - cpu_start;
  domain::load_tracker shard_b(f, c, starts, horizon, second_half);
  std::fprintf(stderr, "  a shard built in %.3f s CPU\n", shard_build_cpu_s);
  applied a, b;
  start = clock_type::now();
  std::thread other([&] { b = apply(shard_b, changes); });
  a = apply(shard_a, changes);
  other.join();
  const double two_s = seconds_since(start);
  std::fprintf(stderr, "  %.3f s (shards %.3f s and %.3f s, CPU %.3f s and %.3f s)\n", two_s,
               a.seconds, b.seconds, a.cpu_seconds, b.cpu_seconds);
  // On a shared machine the wall clock also measures the other tenants; the busier
  // shard's CPU time is what two free cores would need.
  const double cpu_speed_up = one.cpu_seconds / std::max(a.cpu_seconds, b.cpu_seconds);

  const auto n = static_cast<double>(changes.size());
  const double jobs_m = static_cast<double>(f.jobs.size()) / 1e6;
  const double change_us = one.seconds / n * 1e6, change_cpu_us = one.cpu_seconds / n * 1e6;
  std::printf("{\"bench\": \"detector\", \"devices\": %lld, \"proxies\": 1000, ",
              static_cast<long long>(cfg.devices));
  std::printf("\"jobs\": %zu, \"counted_jobs\": %zu, \"windows\": %zu, ", f.jobs.size(), counted,
              windows);
  std::printf(
      "\"tracker_build_s\": %.3f, \"tracker_build_cpu_s\": %.3f, \"shard_build_cpu_s\": %.3f, "
      "\"tracker_mb_per_1m_jobs\": %.1f, ",
      build_s, build_cpu_s, shard_build_cpu_s, static_cast<double>(tracker_bytes) / 1e6 / jobs_m);
  std::printf("\"rss_mb_per_1m_jobs\": %.1f, \"changes\": %zu, ",
              static_cast<double>(rss_growth) / 1e6 / jobs_m, changes.size());
  std::printf(
      "\"change_us\": %.2f, \"change_cpu_us\": %.2f, \"changed_proxies_per_change\": %.3f, ",
      change_us, change_cpu_us, static_cast<double>(one.changed_proxies) / n);
  std::printf(
      "\"detect_s\": %.3f, \"detect_cpu_s\": %.3f, \"detect_to_change_ratio\": %.0f, "
      "\"detect_to_change_ratio_by_cpu\": %.0f, ",
      detect_s, detect_cpu_s, detect_s / (change_us / 1e6), detect_cpu_s / (change_cpu_us / 1e6));
  std::printf("\"changes_per_s_1_thread\": %.0f, \"changes_per_s_2_threads\": %.0f, ",
              n / one.seconds, n / two_s);
  std::printf("\"speed_up\": %.2f, \"speed_up_by_cpu_time\": %.2f, \"equals_detect\": %s}\n",
              one.seconds / two_s, cpu_speed_up, exact ? "true" : "false");
  return exact ? 0 : 1;
}
