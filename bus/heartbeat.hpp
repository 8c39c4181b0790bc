#pragma once
// How often the two sides of the bus beat and how long a silence makes the other side
// stale: the default of both roles' configurations and of both bridges, stated once.

#include <chrono>
#include <optional>
#include <string>

#include "domain/expected.hpp"

namespace headroom::bus {

inline constexpr std::chrono::milliseconds default_heartbeat_interval{1'000};
inline constexpr std::chrono::milliseconds default_heartbeat_timeout{5'000};

/// Why a heartbeat interval and timeout cannot work together, or nothing: the interval is
/// positive and the timeout longer. The names are the settings as the caller spells them.
inline std::optional<domain::error> check_heartbeat(std::chrono::nanoseconds interval,
                                                    std::chrono::nanoseconds timeout,
                                                    const std::string& interval_name,
                                                    const std::string& timeout_name) {
  if (interval <= std::chrono::nanoseconds::zero())
    return domain::error{interval_name, "must be positive"};
  if (timeout <= interval)
    return domain::error{timeout_name, "must be longer than " + interval_name};
  return std::nullopt;
}

}  // namespace headroom::bus
