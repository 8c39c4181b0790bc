#pragma once
// How often the two sides of the bus beat and how long a silence makes the other side
// stale: the default of both roles' configurations and of both bridges, stated once.

#include <chrono>

namespace headroom::bus {

inline constexpr std::chrono::milliseconds default_heartbeat_interval{1'000};
inline constexpr std::chrono::milliseconds default_heartbeat_timeout{5'000};

}  // namespace headroom::bus
