#include "apps/check_command.hpp"

#include <chrono>
#include <iostream>
#include <memory>

#include "apps/phase_timer.hpp"
#include "domain/adjuster.hpp"
#include "domain/counting.hpp"
#include "domain/detection.hpp"
#include "formats/check_report.hpp"
#include "formats/fleet_reader.hpp"

namespace headroom::apps {
namespace {

struct check_options {
  std::string fleet_file;
  bool adjust = false;
  bool json = false;
  bool timings = false;
  std::string from;
  std::string to;
};

/// The horizon the flags ask for, or the fleet's.
domain::expected<domain::interval> horizon_of(const check_options& o, const domain::fleet& f) {
  domain::interval h = domain::effective_horizon(f);
  for (auto [flag, text, bound] :
       {std::tuple{"--from", &o.from, &h.start}, {"--to", &o.to, &h.end}}) {
    if (text->empty()) continue;
    auto t = domain::parse_rfc3339(*text);
    if (!t) return domain::error{flag, t.failure().what};
    *bound = *t;
  }
  if (h.empty()) return domain::error{"horizon", "empty: 'to' must be after 'from'"};
  return h;
}

int run_check(const check_options& o) {
  phase_timer timer(o.timings);
  auto fleet = formats::read_fleet_file(o.fleet_file);
  if (!fleet) {
    std::cerr << "headroom check: " << o.fleet_file << ": " << fleet.failure().message() << "\n";
    return 1;
  }
  timer.done("read and validate the fleet file");
  const auto horizon = horizon_of(o, *fleet);
  if (!horizon) {
    std::cerr << "headroom check: " << horizon.failure().message() << "\n";
    return 1;
  }
  const auto counting = domain::count_communications(*fleet);
  formats::check_result result{
      *fleet,       counting,
      *horizon,     domain::detect(*fleet, counting, domain::requested_schedule(*fleet), *horizon),
      std::nullopt, std::nullopt};
  timer.done("detect overload windows");
  if (o.adjust) {
    result.plan = domain::adjust(*fleet, counting, result.before);
    timer.done("adjust the movable jobs");
    result.after = domain::detect(*fleet, counting, result.plan->starts, *horizon);
    timer.done("detect again on the adjusted schedule");
  }
  if (o.json)
    formats::write_check_json(result, std::cout);
  else
    formats::write_check_table(result, std::cout);
  timer.done("write the report");
  return 0;
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto options = std::make_shared<check_options>();
  auto* cmd = app.add_subcommand(
      "check", "Predict each proxy's load from a fleet file and print its overload windows");
  cmd->add_option("fleet", options->fleet_file, "Fleet file (JSON, see docs/fleet-file.md)")
      ->required();
  cmd->add_flag("--adjust", options->adjust,
                "Also compute an adjusted schedule for the jobs in the windows");
  cmd->add_flag("--json", options->json, "Print the machine-readable report");
  cmd->add_option("--from", options->from, "Horizon start (RFC 3339), overriding the fleet's");
  cmd->add_option("--to", options->to, "Horizon end (RFC 3339), overriding the fleet's");
  cmd->add_flag("--timings", options->timings, "Print how long each phase took on stderr");
  cmd->callback([options] {
    if (const int status = run_check(*options); status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace headroom::apps
