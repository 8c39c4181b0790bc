// Detection on 1e6 and 1e7 jobs over 1,000 proxies, against std::sort of the same
// 2n events measured in the same run. Prints one JSON object per size.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench/synthetic_fleet.hpp"
#include "domain/detection.hpp"

using namespace headroom;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The events detection sorts, as packed integers, in generation order.
std::vector<std::uint64_t> events_of(const domain::fleet& f) {
  std::vector<std::uint64_t> events;
  events.reserve(2 * f.jobs.size());
  for (const auto& j : f.jobs) {
    const auto proxy = static_cast<std::uint64_t>(f.devices[j.device].path.front());
    const auto offset = static_cast<std::uint64_t>(j.start - f.horizon->start);
    events.push_back(proxy << 44 | offset << 4 | 1);
    events.push_back(proxy << 44 | (offset + static_cast<std::uint64_t>(j.duration_s)) << 4);
  }
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::int64_t> sizes{1'000'000, 10'000'000};
  if (argc > 1) sizes = {std::atoll(argv[1])};
  const int repeats = 3;
  for (const auto n : sizes) {
    std::fprintf(stderr, "detection: generating %lld jobs over 1000 proxies...\n",
                 static_cast<long long>(n));
    const auto f = bench::synthetic_fleet(n, 1000, bench::start_pattern::spread, 42);
    double best_detect = 1e30, best_sort = 1e30;
    std::size_t windows = 0;
    for (int r = 0; r < repeats; ++r) {
      auto events = events_of(f);
      auto start = std::chrono::steady_clock::now();
      std::sort(events.begin(), events.end());
      best_sort = std::min(best_sort, seconds_since(start));
      start = std::chrono::steady_clock::now();
      const auto counted = domain::count_communications(f);
      const auto found = domain::detect(f, counted, domain::requested_schedule(f), *f.horizon);
      best_detect = std::min(best_detect, seconds_since(start));
      windows = found.windows.size();
      std::fprintf(stderr, "  run %d: detect %.3f s, sort %.3f s\n", r + 1, seconds_since(start),
                   best_sort);
    }
    std::printf(
        "{\"bench\": \"detection\", \"jobs\": %lld, \"proxies\": 1000, \"windows\": %zu, "
        "\"detect_s\": %.3f, "
        "\"sort_2n_events_s\": %.3f, \"ratio_to_sort\": %.2f}\n",
        static_cast<long long>(n), windows, best_detect, best_sort, best_detect / best_sort);
    std::fflush(stdout);
  }
  return 0;
}
