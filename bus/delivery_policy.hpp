#pragma once

// What the bus does with a frame it cannot hand to ZeroMQ right now because the
// peer is behind (the socket's high-water mark) or the worker's queue is full.
// Decided per message type; docs/bus.md has the table and the reasons.

#include <array>
#include <cstddef>
#include <cstdint>

#include "messages/types.hpp"

namespace headroom::bus {

enum class at_high_water {
  drop,    ///< Drop the frame and count it: periodic or superseded by the next one.
  retain,  ///< Keep it queued, in order, until the peer drains: losing it loses state.
};

/// The policy of one message type.
at_high_water policy_for(messages::message_type type);

/// A count per message type, indexed by type code ([0] unused).
using type_counters = std::array<std::uint64_t, messages::message_type_count + 1>;

/// Socket and queue limits of one bus endpoint.
struct high_water_marks {
  int socket_send = 10'000;         ///< ZMQ_SNDHWM: frames ZeroMQ buffers per peer.
  int socket_receive = 10'000;      ///< ZMQ_RCVHWM.
  std::size_t queue_drop = 10'000;  ///< Worker queue length beyond which `drop` frames are dropped.
  std::size_t queue_retain =
      100'000;  ///< Beyond which even `retain` frames are dropped (and counted).
};

}  // namespace headroom::bus
