#pragma once
#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom detector`: the shared detector (issue 5). Prints `status on http://HOST:PORT`
/// and `bus on ENDPOINT`, then runs until SIGINT or SIGTERM.
void add_detector_command(CLI::App& app);

}  // namespace headroom::apps
