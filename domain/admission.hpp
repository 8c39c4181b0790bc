#pragma once
// The admission rule of a proxy node, in one place: the relay's node agent admits by it,
// and the simulator replays deliveries by it, so that the two cannot drift apart.

#include <cstdint>

namespace headroom::domain {

/// Whether a proxy admits a communication of a device: a device already active on the
/// proxy keeps its slot; another is admitted while fewer than `capacity` distinct devices
/// are active on it. A path of proxies admits only if every proxy on it does.
constexpr bool admits(bool device_active, std::int64_t active_devices, std::int64_t capacity) {
  return device_active || active_devices < capacity;
}

}  // namespace headroom::domain
