#pragma once
// A relay session: one actor per device connection. It owns the session's life —
// asks the node agent to admit the device, tells the connection to relay or to answer
// 503, hands refusals on for counting, and reports the session when the connection
// ends. The bytes never pass through it: they stay in the connection's Asio handlers.

#include <caf/typed_event_based_actor.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "actors/relay/interfaces.hpp"

namespace headroom::relay {

struct relay_session_state {
  // Declared so the state is no aggregate: C++20 would otherwise let CAF construct it
  // from the actor pointer through its first member.
  relay_session_state() = default;

  static constexpr const char* name = "relay-session";
  connection_ptr connection;
  relay::node_agent_actor agent;
  std::uint64_t session_id = 0;
  std::string device;  ///< Empty until identified.
  bool admitted = false;
  caf::actor_clock::time_point opened{};
};

relay_session_actor::behavior_type relay_session(
    relay_session_actor::stateful_pointer<relay_session_state> self, connection_ptr connection,
    relay::node_agent_actor agent, std::uint64_t session_id);

}  // namespace headroom::relay
