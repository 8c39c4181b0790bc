#pragma once
// The live simulator's clock mapping: a fleet's virtual time laid onto the wall clock from
// a chosen moment, `speed` virtual seconds per real second. The fleet it makes carries
// real times, so that the distribution system, the detector and the relays work on it
// exactly as in production, and the virtual-time replay of the same scaled fleet
// predicts what the live run should measure.

#include <cstdint>

#include "domain/fleet.hpp"

namespace headroom::sim {

struct time_scale {
  domain::instant virtual_origin = 0;  ///< Maps onto real_origin.
  domain::instant real_origin = 0;
  std::int64_t speed = 60;  ///< Virtual seconds per real second, at least 1.

  /// The real second a virtual instant falls in.
  [[nodiscard]] domain::instant real(domain::instant v) const;
  /// A virtual duration in real seconds, rounded to the nearest, at least 1.
  [[nodiscard]] std::int64_t span(std::int64_t virtual_s) const;
};

struct scaled_fleet {
  domain::fleet fleet;
  time_scale scale;
  /// Daily maintenance windows cannot be compressed (they are local clock times): the
  /// scaled fleet has none, and the adjuster may place jobs at any time of its horizon.
  std::int64_t maintenance_windows_dropped = 0;
};

/// The fleet with every instant and duration on the real clock: its earliest counted job
/// start at `real_origin`. Deadlines stay reachable (never before start + duration).
scaled_fleet scale_fleet(const domain::fleet& f, std::int64_t speed, domain::instant real_origin);

}  // namespace headroom::sim
