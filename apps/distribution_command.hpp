#pragma once

#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom distribution`: the reference software distribution system (docs/api.md).
void add_distribution_command(CLI::App& app);

}  // namespace headroom::apps
