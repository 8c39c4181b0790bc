#pragma once

#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom gen-fleet --devices N --proxies P [--customers C] [--days D] --seed S -o FLEET.json`.
void add_gen_fleet_command(CLI::App& app);

}  // namespace headroom::apps
