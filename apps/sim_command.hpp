#pragma once

#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom sim`: replays a fleet's rollout per strategy on a virtual clock.
void add_sim_command(CLI::App& app);

}  // namespace headroom::apps
