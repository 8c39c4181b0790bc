#pragma once

#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom check FLEET.json [--adjust] [--json] [--from T --to T] [--timings]`.
void add_check_command(CLI::App& app);

}  // namespace headroom::apps
