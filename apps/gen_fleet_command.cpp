#include "apps/gen_fleet_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>

#include "formats/fleet_writer.hpp"
#include "sim/fleet_generator.hpp"

namespace headroom::apps {
namespace {

struct gen_fleet_options {
  sim::fleet_generator_config config;
  std::string output;
};

int run_gen_fleet(const gen_fleet_options& o) {
  const auto config = sim::validate(o.config);
  if (!config) {
    std::cerr << "headroom gen-fleet: " << config.failure().message() << "\n";
    return 1;
  }
  const auto fleet = sim::generate_fleet(*config);
  if (o.output == "-") {
    formats::write_fleet(fleet, std::cout);
    return 0;
  }
  std::ofstream out(o.output, std::ios::binary);
  formats::write_fleet(fleet, out);
  out.close();
  if (!out) {
    std::cerr << "headroom gen-fleet: cannot write " << o.output << "\n";
    return 1;
  }
  std::cerr << "wrote " << o.output << ": " << fleet.customers.size() << " customers, "
            << fleet.proxies.size() << " proxies, " << fleet.devices.size() << " devices, "
            << fleet.jobs.size() << " jobs, " << fleet.services.size() << " service schedules\n";
  return 0;
}

}  // namespace

void add_gen_fleet_command(CLI::App& app) {
  auto o = std::make_shared<gen_fleet_options>();
  auto& c = o->config;
  auto* cmd = app.add_subcommand(
      "gen-fleet", "Write a realistic generated fleet file (docs/fleet-generator.md)");
  cmd->add_option("--devices", c.devices, "Number of devices")->required();
  cmd->add_option("--proxies", c.proxies, "Number of proxy nodes")->required();
  cmd->add_option("--customers", c.customers, "Number of customers (0: one per 150 devices)")
      ->capture_default_str();
  cmd->add_option("--days", c.days, "Horizon length in days")->capture_default_str();
  cmd->add_option("--seed", c.seed, "Random seed: the same seed writes the same file")->required();
  cmd->add_option("--start", c.start, "Horizon start (RFC 3339)")->capture_default_str();
  cmd->add_option("--rollouts", c.rollouts, "Rollout campaigns per customer")
      ->capture_default_str();
  cmd->add_option("--direct-share", c.direct_share, "Share of devices in direct mode")
      ->capture_default_str();
  cmd->add_option("--chained-share", c.chained_share, "Share of relayed devices behind two proxies")
      ->capture_default_str();
  cmd->add_option("--no-distribution-share", c.no_distribution_share,
                  "Share of customers without a software_distribution contract")
      ->capture_default_str();
  cmd->add_option("--maintenance-share", c.maintenance_share,
                  "Share of customers with maintenance windows")
      ->capture_default_str();
  cmd->add_option("--deadline-share", c.deadline_share, "Share of jobs with a deadline")
      ->capture_default_str();
  cmd->add_option("--priority-share", c.priority_share, "Share of jobs with a priority")
      ->capture_default_str();
  cmd->add_option("--status-polling-share", c.status_polling_share,
                  "Share of devices polled every 15 minutes")
      ->capture_default_str();
  cmd->add_option("--staggered-start-share", c.staggered_start_share,
                  "Share of jobs an operator staggered by 5 to 30 minutes")
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Output file, or - for stdout")->required();
  cmd->callback([o] {
    if (const int status = run_gen_fleet(*o); status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace headroom::apps
