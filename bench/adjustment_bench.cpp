// Adjustment on 1e5 and 1e6 jobs that roll out at each customer's hour, most of them
// in an overload window; the baseline (requested order, earliest feasible start) in
// the same run. Prints one JSON object per size.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench/synthetic_fleet.hpp"
#include "domain/adjuster.hpp"

using namespace headroom;

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::vector<std::int64_t> sizes{100'000, 1'000'000};
  if (argc > 1) sizes = {std::atoll(argv[1])};
  for (const auto n : sizes) {
    std::fprintf(stderr, "adjustment: generating %lld jobs over 1000 proxies...\n",
                 static_cast<long long>(n));
    const auto f = bench::synthetic_fleet(n, 1000, bench::start_pattern::rollouts, 7);
    const auto counted = domain::count_communications(f);
    const auto before = domain::detect(f, counted, domain::requested_schedule(f), *f.horizon);
    auto start = std::chrono::steady_clock::now();
    const auto baseline =
        domain::place_in_order(f, counted, before, domain::placement_order::requested);
    const double baseline_s = seconds_since(start);
    std::fprintf(stderr, "  baseline %.3f s\n", baseline_s);
    start = std::chrono::steady_clock::now();
    const auto plan = domain::adjust(f, counted, before);
    const double adjust_s = seconds_since(start);
    std::fprintf(stderr, "  adjuster %.3f s\n", adjust_s);
    const auto after = domain::detect(f, counted, plan.starts, *f.horizon);
    const auto broken = domain::rule_violations(f, before, plan, after);
    const double moved = static_cast<double>(std::max<std::size_t>(plan.moved.size(), 1));
    std::printf(
        "{\"bench\": \"adjustment\", \"jobs\": %lld, \"windows\": %zu, \"movable\": %zu, "
        "\"adjust_s\": %.3f, "
        "\"moved\": %zu, \"unschedulable\": %zu, \"displacement_h\": %.1f, \"mean_shift_min\": "
        "%.1f, "
        "\"lower_bound_h\": %.1f, \"order\": \"%s\", \"baseline_s\": %.3f, "
        "\"baseline_unschedulable\": %zu, "
        "\"baseline_displacement_h\": %.1f, \"windows_after\": %zu, \"rule_violations\": %zu}\n",
        static_cast<long long>(n), before.windows.size(), plan.movable.size(), adjust_s,
        plan.moved.size(), plan.unschedulable.size(),
        static_cast<double>(plan.total_displacement_s) / 3600.0,
        static_cast<double>(plan.total_displacement_s) / 60.0 / moved,
        static_cast<double>(plan.displacement_lower_bound_s) / 3600.0,
        domain::to_string(plan.order), baseline_s, baseline.unschedulable.size(),
        static_cast<double>(baseline.total_displacement_s) / 3600.0, after.windows.size(),
        broken.size());
    std::fflush(stdout);
  }
  return 0;
}
