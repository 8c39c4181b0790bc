#pragma once

#include <CLI/CLI.hpp>

namespace headroom::apps {

/// `headroom keygen BASE`: a CurveZMQ key pair in BASE.key (secret) and BASE.pub.
void add_keygen_command(CLI::App& app);

}  // namespace headroom::apps
