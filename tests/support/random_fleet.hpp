#pragma once

// Small random fleets for the property tests of detection, adjustment and the
// incremental load tracker.

#include <cstdint>
#include <random>

#include "domain/fleet.hpp"

namespace headroom::test {

/// The start of the horizon of every random fleet.
domain::instant random_fleet_start();

/// A small random fleet over [random_fleet_start(), + horizon_s): tight thresholds,
/// chains of two proxies, direct devices, services, deadlines, priorities, maintenance
/// windows in several time zones. `rollouts` starts the jobs at a few shared times.
domain::fleet random_fleet(std::mt19937_64& rng, std::int64_t horizon_s, bool rollouts);

}  // namespace headroom::test
