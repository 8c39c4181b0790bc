#pragma once
// The knobs of `headroom sim` (docs/simulation.md explains each), declared once.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/expected.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

/// A share written as a decimal ("0.1"), kept exact: numerator ÷ denominator.
struct decimal_share {
  std::int64_t numerator = 1;
  std::int64_t denominator = 10;
};

/// Parses "0.1", "1", "0.125" exactly; the share must lie in (0, 1].
domain::expected<decimal_share> parse_share(const std::string& text);

struct sim_config {
  std::vector<strategy> strategies{strategy::as_scheduled, strategy::rate_limit,
                                   strategy::rollout_groups, strategy::headroom_warn,
                                   strategy::headroom_auto};
  std::int32_t retries = 3;          ///< Tries after a refused first attempt.
  std::int64_t retry_after_s = 300;  ///< Wait before trying a refused delivery again.
  std::optional<std::int64_t> rate;  ///< rate-limit's first attempts per minute; unset: derived.
  decimal_share group_share;         ///< rollout-groups' group size, a share of the jobs.
  double duration_noise = 0;         ///< Sigma of the log-normal duration factors; 0: exact.
  std::uint64_t seed = 1;            ///< Of the duration noise.
  /// headroom-auto: the detector sees changes at most this often, as its fetch interval.
  std::int64_t replan_interval_s = 60;
  std::int32_t threads = 0;  ///< Strategies run at once; 0: one per core.
};

/// Checks the knobs; the error names the flag.
domain::expected<sim_config> validate(sim_config config);

}  // namespace headroom::sim
