#pragma once
#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom demo`: the distribution system with a fleet imported, the detector and one
/// stand-in node per proxy, in one process. First stdout line: `listening on http://...`.
void add_demo_command(CLI::App& app);

}  // namespace headroom::apps
