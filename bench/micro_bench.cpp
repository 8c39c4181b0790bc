// Micro-benchmarks (Google Benchmark) of the adjuster's feasibility structure and
// of the time parser that every fleet-file time goes through.
#include <benchmark/benchmark.h>

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

void parse_rfc3339(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(domain::parse_rfc3339("2026-12-08T02:00:00+01:00"));
}
BENCHMARK(parse_rfc3339);

}  // namespace

BENCHMARK_MAIN();
