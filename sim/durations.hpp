#pragma once
// Real download times (docs/simulation.md, rule 8): with noise, a delivery lasts its
// planned duration times a factor per (device model, package), drawn once from a
// log-normal around 1 with sigma, times a factor of its own with half that sigma. The
// plans still see the planned durations.

#include <cstdint>
#include <vector>

#include "domain/fleet.hpp"

namespace headroom::sim {

/// Every job's real duration in whole seconds (at least 1); the planned ones when
/// sigma is 0. The same seed gives the same durations.
std::vector<std::int64_t> real_durations(const domain::fleet& f, double sigma, std::uint64_t seed);

}  // namespace headroom::sim
