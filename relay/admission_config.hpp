#pragma once
// How a proxy node admits devices: the [admission] section of the relay's configuration
// and the node agent's settings (actors/relay/node_agent.hpp), declared once.

#include <array>
#include <chrono>
#include <cstdint>

#include "common/choices.hpp"
#include "domain/expected.hpp"

namespace headroom::relay {

/// What happens to a device when the relay is full.
enum class on_full_policy { reject, queue };

/// Their spellings, in the file and on the command line.
inline constexpr std::array<common::choice<on_full_policy>, 2> on_full_policies{
    {{"reject", on_full_policy::reject}, {"queue", on_full_policy::queue}}};

struct admission_config {
  std::uint32_t capacity = 100;              ///< Distinct devices relayed at once.
  std::uint32_t threshold = 0;               ///< Reported load threshold; 0: the capacity.
  std::uint32_t per_device_connections = 4;  ///< Connections one device may hold.
  on_full_policy on_full = on_full_policy::reject;
  std::uint32_t queue_limit = 1000;  ///< Connections waiting at most (queue mode).
  std::chrono::milliseconds queue_timeout{30'000};
  std::uint32_t retry_after_seconds = 30;  ///< Sent with every 503.
};

/// Checks the ranges and fills the threshold when left to the capacity; the error names
/// the setting as [admission] spells it.
domain::expected<admission_config> validate(admission_config config);

}  // namespace headroom::relay
