// Micro-benchmarks (Google Benchmark) of the adjuster's feasibility structure and
// of the time parser that every fleet-file time goes through.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "domain/load_tree.hpp"
#include "sim/random.hpp"

using namespace headroom;

namespace {

domain::load_tree busy_week(std::int64_t updates) {
  const domain::interval week{0, 7 * domain::seconds_per_day};
  domain::load_tree tree(week, {{0, 0}});
  sim::random rng(1);
  for (std::int64_t i = 0; i < updates; ++i) {
    const auto start = rng.between(0, week.end - 2000);
    tree.add({start, start + rng.between(300, 1800)}, 1);
  }
  return tree;
}

void add_job(benchmark::State& state) {
  auto tree = busy_week(state.range(0));
  sim::random rng(2);
  for (auto _ : state) {
    const auto start = rng.between(0, 7 * domain::seconds_per_day - 2000);
    tree.add({start, start + 600}, 1);
  }
}
BENCHMARK(add_job)->Arg(10'000)->Arg(1'000'000);

void max_over_a_job(benchmark::State& state) {
  const auto tree = busy_week(state.range(0));
  sim::random rng(3);
  for (auto _ : state) {
    const auto start = rng.between(0, 7 * domain::seconds_per_day - 2000);
    benchmark::DoNotOptimize(tree.max_over({start, start + 600}));
  }
}
BENCHMARK(max_over_a_job)->Arg(10'000)->Arg(1'000'000);

void first_above(benchmark::State& state) {
  const auto tree = busy_week(state.range(0));
  const auto level = tree.max_over(tree.range()) - 3;
  sim::random rng(4);
  for (auto _ : state)
    benchmark::DoNotOptimize(tree.first_above(rng.between(0, tree.range().end - 1), level));
}
BENCHMARK(first_above)->Arg(10'000)->Arg(1'000'000);

/// A week's load with `steps` steps at random seconds, as the adjuster builds a proxy's
/// tree from the load that stays.
domain::load_timeline random_timeline(std::int64_t steps) {
  sim::random rng(5);
  std::vector<domain::instant> at{0};
  for (std::int64_t i = 1; i < steps; ++i)
    at.push_back(rng.between(1, 7 * domain::seconds_per_day - 1));
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  domain::load_timeline out;
  for (const auto t : at) out.push_back({t, static_cast<std::int32_t>(rng.between(0, 40))});
  return out;
}

void build_from_steps(benchmark::State& state) {
  const auto steps = random_timeline(state.range(0));
  const domain::interval week{0, 7 * domain::seconds_per_day};
  for (auto _ : state) benchmark::DoNotOptimize(domain::load_tree(week, steps));
  state.counters["nodes"] = static_cast<double>(domain::load_tree(week, steps).node_count());
}
BENCHMARK(build_from_steps)->Arg(2'400)->Arg(100'000);

/// What the adjuster does with a proxy's tree in a first detection: builds it from the
/// load that stays, then places a few hundred jobs (a proxy's windows) in it, each at the
/// first second from its requested start with room, as `place` searches.
void place_300_jobs_on_steps(benchmark::State& state) {
  const auto steps = random_timeline(state.range(0));
  const domain::interval week{0, 7 * domain::seconds_per_day};
  std::size_t nodes = 0;
  for (auto _ : state) {
    domain::load_tree tree(week, steps);
    sim::random rng(6);
    for (int job = 0; job < 300; ++job) {
      const auto from = rng.between(0, domain::seconds_per_day);
      const auto start = tree.first_at_most(from, 30);
      if (start + 600 <= week.end && tree.max_over({start, start + 600}) <= 30)
        tree.add({start, start + 600}, 1);
    }
    nodes = tree.node_count();
  }
  state.counters["nodes"] = static_cast<double>(nodes);
}
BENCHMARK(place_300_jobs_on_steps)->Arg(2'400)->Arg(100'000);

void parse_rfc3339(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(domain::parse_rfc3339("2026-12-08T02:00:00+01:00"));
}
BENCHMARK(parse_rfc3339);

}  // namespace

BENCHMARK_MAIN();
