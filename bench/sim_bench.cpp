// headroom sim at scale (docs/simulation.md, "Scale and speed"): a generated fleet replayed
// under every strategy, each timed on its own, beside the planning `headroom check --adjust`
// does on the same fleet in the same run, with the engine's events per second.
// Usage: sim_bench [devices=100000] [proxies=devices/100] [days=5] [strategy]
// With a strategy, only that one runs, and not the peer (a million-device plan is a minute).
// Prints one JSON line per strategy and one for the peer; peak RSS at the end. The
// strategies run one after the other on one thread (the command runs them on --threads).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "actors/sim/simulation.hpp"
#include "domain/adjuster.hpp"
#include "domain/detection.hpp"
#include "sim/fleet_generator.hpp"
#include "sim/rollout_case.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

double since(clock_type::time_point began) {
  return std::chrono::duration<double>(clock_type::now() - began).count();
}

long peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace headroom;
  sim::fleet_generator_config generator;
  generator.devices = argc > 1 ? std::atoll(argv[1]) : 100000;
  generator.proxies =
      argc > 2 ? std::atoll(argv[2]) : std::max<std::int64_t>(1, generator.devices / 100);
  generator.days = argc > 3 ? std::atoll(argv[3]) : 5;
  const auto valid = sim::validate(generator);
  if (!valid) {
    std::fprintf(stderr, "sim_bench: %s\n", valid.failure().message().c_str());
    return 2;
  }
  auto began = clock_type::now();
  const auto fleet = sim::generate_fleet(*valid);
  std::printf(
      "{\"bench\": \"sim_generate\", \"devices\": %lld, \"proxies\": %lld, \"jobs\": %zu, "
      "\"seconds\": %.3f}\n",
      static_cast<long long>(generator.devices), static_cast<long long>(generator.proxies),
      fleet.jobs.size(), since(began));

  const std::string only = argc > 4 ? argv[4] : "";
  // The peer: what `headroom check --adjust` computes (detect, adjust, detect again).
  began = clock_type::now();
  if (only.empty()) {
    const auto counting = domain::count_communications(fleet);
    const auto horizon = domain::effective_horizon(fleet);
    const auto before = domain::detect(fleet, counting, domain::requested_schedule(fleet), horizon);
    const auto plan = domain::adjust(fleet, counting, before);
    const auto after = domain::detect(fleet, counting, plan.starts, horizon);
    std::printf("{\"bench\": \"check_adjust\", \"windows\": %zu, \"seconds\": %.3f}\n",
                after.windows.size(), since(began));
  }
  const double check_seconds = since(began);

  sim::sim_config config;
  if (!only.empty()) {
    const auto which = common::pick(sim::strategies, only);
    if (!which) {
      std::fprintf(stderr, "sim_bench: unknown strategy %s\n", only.c_str());
      return 1;
    }
    config.strategies = {*which};
  }
  began = clock_type::now();
  const auto c = sim::prepare(fleet, config);
  // Preparing holds the headroom plan, the costliest step: it counts in the total.
  double total = since(began);
  std::printf("{\"bench\": \"sim_prepare\", \"seconds\": %.3f}\n", total);
  for (const auto& which : config.strategies) {
    const auto name = sim::to_string(which);
    common::progress_lane lane;
    began = clock_type::now();
    const auto r = sim::run_strategy(c, which, config, lane);
    const double seconds = since(began);
    total += seconds;
    std::printf(
        "{\"bench\": \"sim\", \"strategy\": \"%s\", \"seconds\": %.3f, \"events\": %llu, "
        "\"events_per_s\": %.0f, \"succeeded\": %lld, \"failed\": %lld, "
        "\"refusals\": %lld, \"detector_looks\": %lld, \"moves\": %lld}\n",
        std::string(name).c_str(), seconds, static_cast<unsigned long long>(r.events),
        static_cast<double>(r.events) / seconds, static_cast<long long>(r.succeeded),
        static_cast<long long>(r.failed), static_cast<long long>(r.refusals),
        static_cast<long long>(r.detector_looks), static_cast<long long>(r.moves_applied));
    std::fflush(stdout);
  }
  if (only.empty())
    std::printf(
        "{\"bench\": \"sim_all\", \"seconds\": %.3f, \"ratio_to_check_adjust\": %.2f, "
        "\"peak_rss_mb\": %ld}\n",
        total, total / check_seconds, peak_rss_mb());
  else
    std::printf("{\"bench\": \"sim_all\", \"seconds\": %.3f, \"peak_rss_mb\": %ld}\n", total,
                peak_rss_mb());
  return 0;
}
