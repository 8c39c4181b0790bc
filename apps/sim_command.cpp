#include "apps/sim_command.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "actors/sim/simulation.hpp"
#include "apps/sim_live.hpp"
#include "common/progress_bar.hpp"
#include "common/system_wall_clock.hpp"
#include "formats/fleet_reader.hpp"
#include "sim/fleet_generator.hpp"
#include "sim/generate_spec.hpp"
#include "sim/report/html_report.hpp"
#include "sim/report/json_report.hpp"
#include "sim/report/outcomes_jsonl.hpp"
#include "sim/report/summary_table.hpp"

namespace headroom::apps {
namespace {

struct sim_options {
  std::string fleet_file;
  std::string generate;
  std::vector<std::string> strategies{"all"};
  std::string group_share = "0.1";
  sim::sim_config config;
  std::string json;
  std::string outcomes;
  std::string report;
  sim::report_options report_options;
  bool live = false;
  sim::live_config live_config;
};

int fail(const std::string& message) {
  std::cerr << "headroom sim: " << message << "\n";
  return 1;
}

/// The strategies the flags name, in their order; "all" is every one.
domain::expected<std::vector<sim::strategy>> strategies_of(const std::vector<std::string>& names) {
  std::vector<sim::strategy> out;
  for (const auto& name : names) {
    if (name == "all" && names.size() > 1)
      return domain::error{"--strategy", "'all' names every strategy; give it alone"};
    if (name == "all") {
      for (const auto& [spelling, s] : sim::strategies) out.push_back(s);
      continue;
    }
    const auto s = common::pick(sim::strategies, name);
    if (!s)
      return domain::error{"--strategy", "unknown strategy '" + name + "' (" +
                                             common::either(sim::strategies) + " or all)"};
    if (std::find(out.begin(), out.end(), *s) != out.end())
      return domain::error{"--strategy", "'" + name + "' given twice"};
    out.push_back(*s);
  }
  return out;
}

domain::expected<domain::fleet> fleet_of(const sim_options& o) {
  if (!o.generate.empty()) {
    const auto config = sim::parse_generate_spec(o.generate);
    if (!config) return config.failure();
    return sim::generate_fleet(*config);
  }
  auto fleet = formats::read_fleet_file(o.fleet_file);
  if (!fleet) {
    // The reader names the file when it cannot read it, not when its content is wrong.
    const auto message = fleet.failure().message();
    if (message.starts_with(o.fleet_file)) return domain::error{"", message};
    return domain::error{o.fleet_file, message};
  }
  return std::move(*fleet);
}

/// The output files, opened before the run so that a wrong path fails in a second, not
/// after an hour of simulation.
struct outputs {
  std::ofstream json;
  std::ofstream outcomes;
};

std::optional<std::string> open_outputs(const sim_options& o, outputs& out) {
  for (auto [path, stream] : {std::pair{&o.json, &out.json}, {&o.outcomes, &out.outcomes}}) {
    if (path->empty()) continue;
    stream->open(*path, std::ios::binary);
    if (!*stream) return "cannot write " + *path;
  }
  if (!o.report.empty()) {
    std::error_code error;
    std::filesystem::create_directories(o.report, error);
    if (error) return "--report: cannot create " + o.report + ": " + error.message();
  }
  return std::nullopt;
}

/// Closes the files written; the error names one that could not be written whole.
std::optional<std::string> finish_outputs(const sim_options& o, outputs& files) {
  for (auto [path, stream] : {std::pair{&o.json, &files.json}, {&o.outcomes, &files.outcomes}}) {
    if (path->empty()) continue;
    stream->close();
    if (!*stream) return "cannot write " + *path;
  }
  return std::nullopt;
}

int run_sim(sim_options o) {
  const auto strategies = strategies_of(o.strategies);
  if (!strategies) return fail(strategies.failure().message());
  o.config.strategies = *strategies;
  const auto share = sim::parse_share(o.group_share);
  if (!share) return fail(share.failure().message());
  o.config.group_share = *share;
  const auto config = sim::validate(o.config);
  if (!config) return fail(config.failure().message());
  if (o.report_options.proxies < 0) return fail("--report-proxies: must not be negative");
  const auto fleet = fleet_of(o);
  if (!fleet) return fail(fleet.failure().message());
  outputs files;
  if (auto e = open_outputs(o, files)) return fail(*e);
  if (o.live) {
    const int status =
        run_sim_live(*fleet, *config, o.live_config,
                     {o.json.empty() ? nullptr : &files.json,
                      o.outcomes.empty() ? nullptr : &files.outcomes, o.report, o.report_options});
    if (auto e = finish_outputs(o, files)) return fail(*e);
    return status;
  }

  common::progress_lanes lanes(config->strategies.size());
  sim::simulation_result result;
  try {
    std::vector<std::string> names;
    for (auto s : config->strategies) names.emplace_back(sim::to_string(s));
    common::progress_bar bar(lanes, std::move(names), "jobs", std::cerr,
                             isatty(STDERR_FILENO) != 0);
    result = sim::simulate(*fleet, *config, lanes, common::system_wall_clock());
  } catch (const std::exception& e) {
    return fail(std::string("the simulation stopped: ") + e.what());
  }
  sim::write_table(*fleet, result, std::cout);

  if (!o.json.empty()) sim::write_json(*fleet, result, files.json);
  if (!o.outcomes.empty()) sim::write_outcomes(*fleet, result, files.outcomes);
  if (auto e = finish_outputs(o, files)) return fail(*e);
  if (!o.report.empty()) {
    const auto page = sim::write_html_report(*fleet, result, *config, o.report_options, o.report);
    if (!page) return fail(page.failure().message());
    std::cerr << "report: " << *page << "\n";
  }
  return 0;
}

}  // namespace

void add_sim_command(CLI::App& app) {
  auto o = std::make_shared<sim_options>();
  auto& c = o->config;
  auto* cmd =
      app.add_subcommand("sim",
                         "Replay a fleet's rollout on a virtual clock, strategy by strategy "
                         "(docs/simulation.md)");
  auto* fleet = cmd->add_option("--fleet", o->fleet_file, "Fleet file (JSON, docs/fleet-file.md)");
  auto* generate = cmd->add_option(
      "--generate", o->generate,
      "Generate the fleet: devices=N,proxies=P[,customers=C,days=D,seed=S] (as gen-fleet)");
  fleet->excludes(generate);
  cmd->add_option("--strategy", o->strategies,
                  "Strategies, comma-separated: as-scheduled, rate-limit, rollout-groups, "
                  "headroom-warn, headroom-auto, or all")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--retries", c.retries, "Tries after a refused delivery attempt")
      ->capture_default_str();
  cmd->add_option("--retry-after", c.retry_after_s, "Seconds between tries")->capture_default_str();
  cmd->add_option_function<std::int64_t>(
      "--rate", [o](std::int64_t r) { o->config.rate = r; },
      "rate-limit: first attempts per minute (default: derived from the fleet)");
  cmd->add_option("--group-share", o->group_share,
                  "rollout-groups: group size, a share of the jobs")
      ->capture_default_str();
  cmd->add_option("--duration-noise", c.duration_noise,
                  "Sigma of the log-normal spread of real download times (0: as planned)")
      ->capture_default_str();
  cmd->add_option("--seed", c.seed, "Seed of the duration noise")->capture_default_str();
  cmd->add_option("--replan-interval", c.replan_interval_s,
                  "headroom-auto: seconds between the detector's looks (its fetch interval)")
      ->capture_default_str();
  cmd->add_option("--json", o->json, "Write the metrics as JSON to this file");
  cmd->add_option("--outcomes", o->outcomes,
                  "Write every job's outcome as JSON Lines to this file");
  cmd->add_option("--report", o->report, "Write a self-contained HTML report into this directory");
  cmd->add_option("--report-proxies", o->report_options.proxies,
                  "Load charts in the report: the proxies fullest as scheduled")
      ->capture_default_str();
  cmd->add_option("--threads", c.threads, "Strategies replayed at once (0: one per core)")
      ->capture_default_str();
  auto& live = o->live_config;
  cmd->add_flag("--live", o->live,
                "Play the rollout live: real device clients through real relays from the "
                "reference distribution system, with time compressed (default strategies: "
                "as-scheduled,headroom-auto)");
  cmd->add_option("--speed", live.speed, "--live: virtual seconds per real second")
      ->capture_default_str();
  cmd->add_option("--lead", live.lead_s,
                  "--live: real seconds before the first delivery (devices check in, the "
                  "detector looks)")
      ->capture_default_str();
  cmd->add_option("--image-bytes", live.image_bytes,
                  "--live: size of each package's synthetic image")
      ->capture_default_str();
  cmd->add_option("--data-dir", live.data_dir,
                  "--live: where the stores go (default: a temporary folder, removed after)");
  cmd->callback([o, fleet, generate, cmd] {
    if (fleet->count() + generate->count() == 0) throw CLI::RequiredError("--fleet or --generate");
    if (o->live && cmd->count("--strategy") == 0) o->strategies = {"as-scheduled", "headroom-auto"};
    if (const int status = run_sim(*o); status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace headroom::apps
