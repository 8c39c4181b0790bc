#pragma once
// `--generate devices=N,proxies=P[,customers=C,days=D,seed=S]`: the fleet generator's
// knobs of `headroom gen-fleet`, written as one flag.

#include <string>

#include "domain/expected.hpp"
#include "sim/fleet_generator.hpp"

namespace headroom::sim {

/// The generator's config the spec asks for (devices and proxies required), validated.
domain::expected<fleet_generator_config> parse_generate_spec(const std::string& spec);

}  // namespace headroom::sim
