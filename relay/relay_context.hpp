#pragma once
// What every connection of one relay shares: the validated configuration and the
// allowlist (immutable after start) and the live traffic counters (atomics, so the
// byte path never goes through a mailbox).

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>

#include "relay/allowlist.hpp"
#include "relay/buffer_pool.hpp"
#include "relay/live_gauge.hpp"
#include "relay/relay_config.hpp"

namespace headroom::relay {

/// Live counters the Asio side bumps and /metrics reads directly.
struct relay_traffic {
  std::atomic<std::uint64_t> bytes_from_devices{0};
  std::atomic<std::uint64_t> bytes_to_devices{0};
  live_gauge open_connections;                      ///< Device connections open now.
  std::atomic<std::uint64_t> connections_total{0};  ///< Accepted since start.
  std::atomic<std::uint64_t> connections_shed{0};   ///< Closed at accept: max_connections.
};

struct relay_context {
  relay_context(relay_config c, allowlist a)
      : config(std::move(c)),
        allow(std::move(a)),
        buffers(std::max<std::size_t>(config.buffer_size, config.limits.max_head_bytes),
                max_free_buffers) {}

  /// Buffers kept for reuse after a busy period (the rest go back to the system).
  static constexpr std::size_t max_free_buffers = 256;

  const relay_config config;
  const allowlist allow;
  relay_traffic traffic;
  buffer_pool buffers;
};

/// Validates the allowlist of a (validated) config and builds the shared context.
domain::expected<std::shared_ptr<relay_context>> make_relay_context(relay_config config);

}  // namespace headroom::relay
