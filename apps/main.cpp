// `headroom <role>`: one binary, a subcommand per role (docs/architecture.md).
#include <CLI/CLI.hpp>

#include "apps/check_command.hpp"
#include "apps/demo_command.hpp"
#include "apps/detector_command.hpp"
#include "apps/distribution_command.hpp"
#include "apps/gen_fleet_command.hpp"
#include "apps/keygen_command.hpp"
#include "apps/relay_command.hpp"
#include "apps/sim_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Headroom: keeps firmware rollouts under each proxy node's capacity"};
  app.require_subcommand(1);
  app.set_version_flag("--version", HEADROOM_VERSION);
  headroom::apps::add_check_command(app);
  headroom::apps::add_demo_command(app);
  headroom::apps::add_detector_command(app);
  headroom::apps::add_distribution_command(app);
  headroom::apps::add_gen_fleet_command(app);
  headroom::apps::add_keygen_command(app);
  headroom::apps::add_relay_command(app);
  headroom::apps::add_sim_command(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
