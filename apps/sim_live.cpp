#include "apps/sim_live.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "actors/sim/live_rig.hpp"
#include "common/progress_bar.hpp"
#include "common/stop_signals.hpp"
#include "common/system_wall_clock.hpp"
#include "sim/report/json_report.hpp"
#include "sim/report/outcomes_jsonl.hpp"
#include "sim/report/summary_table.hpp"

namespace headroom::apps {
namespace {

int fail(const std::string& message) {
  std::cerr << "headroom sim: " << message << "\n";
  return 1;
}

/// What the devices met besides the table's figures: a line per strategy.
void write_counters(const sim::live_result& r, std::ostream& out) {
  const auto& c = r.counters;
  out << sim::to_string(r.measured.which) << ": " << c.check_ins << " devices checked in ("
      << c.check_ins_failed << " could not), " << c.bytes << " verified package bytes, "
      << r.moves_seen << " re-schedules reached the devices, " << c.broken
      << " tries broke otherwise than by a refusal";
  if (!c.first_broken.empty()) out << " (first: " << c.first_broken << ")";
  if (r.reports_lost) out << ", " << r.reports_lost << " job reports the API did not take";
  if (r.samples_missed) out << ", " << r.samples_missed << " load samples missed";
  if (r.cut_short) out << "; STOPPED before every job ended";
  out << "\n";
}

/// Moves a strategy's times by `delta` seconds: the strategies ran one after the other,
/// and a report draws them from one start.
void shift(sim::strategy_result& r, std::int64_t delta) {
  r.load.origin += delta;
  for (auto& o : r.outcomes) {
    o.planned += delta;
    if (o.start) *o.start += delta;
    if (o.end) *o.end += delta;
  }
}

}  // namespace

int run_sim_live(const domain::fleet& fleet, const sim::sim_config& config, sim::live_config live,
                 const live_outputs& outputs) {
  for (const auto s : config.strategies)
    if (!sim::plays_live(s))
      return fail("--strategy: " + std::string(sim::to_string(s)) +
                  " cannot run with --live: its groups open as deliveries finish, which only "
                  "the virtual-time replay drives");
  if (config.duration_noise != 0)
    return fail(
        "--duration-noise: live devices download for the planned durations; noise is "
        "for the virtual-time replay");
  const bool own_data_dir = live.data_dir.empty();
  if (own_data_dir)
    live.data_dir =
        (std::filesystem::temp_directory_path() / ("headroom-live-" + std::to_string(::getpid())))
            .string();
  const auto valid = sim::validate(live);
  if (!valid) return fail(valid.failure().message());

  // Ctrl-C ends the strategy under way and reports what it measured so far.
  common::stop_signals signals;
  std::atomic<bool> cancel{false};
  std::thread([&signals, &cancel] {
    signals.wait();
    std::cerr << "headroom sim: stopping\n";
    cancel = true;
  }).detach();

  const auto clock = common::system_wall_clock();
  sim::simulation_result measured, predicted;
  std::vector<sim::live_result> runs;
  common::progress_lanes lanes(config.strategies.size());
  std::vector<std::string> names;
  for (auto s : config.strategies) names.emplace_back(sim::to_string(s));
  {
    common::progress_bar bar(lanes, names, "jobs", std::cerr, isatty(STDERR_FILENO) != 0);
    for (std::size_t k = 0; k < config.strategies.size() && !cancel; ++k) {
      const auto s = config.strategies[k];
      const auto began = clock.milliseconds();
      auto run = sim::run_live(
          fleet, s, config, *valid, clock, lanes[k], &cancel, [](const sim::live_rig& rig) {
            std::cerr << "distribution system on " << rig.url()
                      << ", detector status on http://127.0.0.1:" << rig.detector_status_port()
                      << "/status\n";
          });
      if (!run) return fail(run.failure().message());
      run->measured.wall_s = static_cast<double>(clock.milliseconds() - began) / 1000.0;
      if (runs.empty()) {
        measured.horizon = predicted.horizon = run->horizon;
      } else {
        shift(run->measured, runs.front().origin - run->origin);
        shift(run->predicted, runs.front().origin - run->origin);
      }
      measured.strategies.push_back(run->measured);
      predicted.strategies.push_back(run->predicted);
      runs.push_back(std::move(*run));
    }
  }
  if (own_data_dir) {
    std::error_code ignored;
    std::filesystem::remove_all(live.data_dir, ignored);
  }
  if (!runs.empty()) measured.fleet = predicted.fleet = runs.front().summary;
  std::cout << "measured live, " << valid->speed << " virtual seconds per second (times below are "
            << "real seconds):\n";
  sim::write_table(fleet, measured, std::cout);
  std::cout << "\npredicted by the virtual-time replay of the same scaled fleet:\n";
  sim::write_table(fleet, predicted, std::cout);
  std::cout << "\n";
  for (const auto& r : runs) write_counters(r, std::cout);
  if (!runs.empty() && runs.front().maintenance_windows_dropped)
    std::cout << runs.front().maintenance_windows_dropped
              << " maintenance windows dropped: daily local windows do not compress\n";

  if (outputs.json) sim::write_json(fleet, measured, *outputs.json);
  if (outputs.outcomes) sim::write_outcomes(fleet, measured, *outputs.outcomes);
  if (!outputs.report.empty()) {
    auto options = outputs.report_options;
    options.live_speed = valid->speed;
    auto live_config = config;
    live_config.strategies.clear();
    for (const auto& s : measured.strategies) live_config.strategies.push_back(s.which);
    const auto page = sim::write_html_report(fleet, measured, live_config, options, outputs.report);
    if (!page) return fail(page.failure().message());
    const auto prediction = sim::write_html_report(
        fleet, predicted, live_config, outputs.report_options, outputs.report + "/predicted");
    if (!prediction) return fail(prediction.failure().message());
    std::cerr << "report: " << *page << " (predicted: " << *prediction << ")\n";
  }
  return cancel ? 130 : 0;
}

}  // namespace headroom::apps
