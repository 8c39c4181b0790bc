#pragma once

#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom relay [--config config/relay.toml] [--listen HOST:PORT] [--admin HOST:PORT] ...`:
/// the proxy node. Prints `listening on http://HOST:PORT` and `admin on http://HOST:PORT`
/// first, then runs until SIGINT or SIGTERM.
void add_relay_command(CLI::App& app);

}  // namespace headroom::apps
