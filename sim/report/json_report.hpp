#pragma once

#include <ostream>

#include "domain/fleet.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

/// The machine-readable summary of a run, one line: the fleet's counts, then per strategy
/// (in the order run) its metrics and every proxy's peak, proxies sorted by id.
void write_json(const domain::fleet& fleet, const simulation_result& result, std::ostream& out);

}  // namespace headroom::sim
