#pragma once

// What the hub and node bridges share: socket set-up, refusal counting, ids and time.
// Internal to bus/.

#include <caf/timespan.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <zmq.hpp>

#include "bus/delivery_policy.hpp"
#include "bus/stats.hpp"
#include "domain/expected.hpp"
#include "messages/codec.hpp"

namespace headroom::bus {

template <class T, class... Ts>
inline constexpr bool is_one_of = (std::is_same_v<T, Ts> || ...);

/// A bind or connect that failed, with the endpoint in the message.
struct bind_failure {
  std::string message;
};

/// Sets the high-water marks, and a receive size limit above the decoder's so
/// that oversized frames still arrive to be counted while giant ones are cut
/// off by ZeroMQ before they are buffered.
void apply_marks(zmq::socket_t& socket, const high_water_marks& marks,
                 const messages::decode_limits& limits);

/// Binds and returns the endpoint actually bound (port 0 resolved); throws bind_failure.
std::string bind_socket(zmq::socket_t& socket, const std::string& endpoint);

/// Connects; throws bind_failure.
void connect_socket(zmq::socket_t& socket, const std::string& endpoint);

/// Counts a refused frame by fault and keeps the latest for operators.
void count_refusal(bridge_stats& stats, const messages::wire_error& error, const std::string& peer);

/// 16 random hex digits: a detector's instance id, new on every start.
std::string random_instance_id();

}  // namespace headroom::bus
