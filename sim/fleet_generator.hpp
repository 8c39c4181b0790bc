#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/expected.hpp"
#include "domain/fleet.hpp"

namespace headroom::sim {

/// The knobs of `headroom gen-fleet` (docs/fleet-generator.md explains each).
struct fleet_generator_config {
  std::int64_t devices = 1000;
  std::int64_t proxies = 10;
  std::int64_t customers = 0;  ///< 0: one per 150 devices.
  std::int64_t days = 5;       ///< Horizon length.
  std::uint64_t seed = 1;
  std::string start = "2026-12-07T00:00:00Z";  ///< Horizon start.
  std::int64_t rollouts = 1;                   ///< Rollout campaigns per customer.
  double direct_share = 0.12;                  ///< Devices in direct monitoring mode.
  double chained_share = 0.10;                 ///< Relayed devices behind a chain of two proxies.
  double no_distribution_share = 0.15;  ///< Customers without a software_distribution contract.
  double maintenance_share = 0.6;       ///< Customers with maintenance windows.
  double deadline_share = 0.4;          ///< Jobs with a deadline.
  double priority_share = 0.1;          ///< Jobs with a priority above 0.
  double status_polling_share = 0.15;   ///< Devices polled for status every 15 minutes.
  double staggered_start_share = 0.3;   ///< Jobs an operator staggered by 5 to 30 minutes.
};

/// Checks the knobs; the error names the flag.
domain::expected<fleet_generator_config> validate(fleet_generator_config config);

/// A fleet that looks like a real customer base (same config, same fleet).
domain::fleet generate_fleet(const fleet_generator_config& config);

}  // namespace headroom::sim
