#pragma once
// The message interface of a proxy node's agent, and of whatever listens to the node's
// events (the bus bridge attaches here as a relay_event_sink_actor). Their types are
// registered with register_relay_messages.

#include <caf/actor_system_config.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <string>

#include "relay/relay_values.hpp"

// IDs 700..739 of the custom range are the relay's; the bus's messages start lower.
CAF_BEGIN_TYPE_ID_BLOCK(headroom_relay_messages, caf::first_custom_type_id + 500)
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::admission))
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::connection_totals))
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::session_report))
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::refusal))
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::device_first_seen))
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::relay_status))
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::refusal_reason))
CAF_ADD_TYPE_ID(headroom_relay_messages, (headroom::relay::detector_link))
CAF_ADD_ATOM(headroom_relay_messages, headroom::atom, admit, "admit")
CAF_ADD_ATOM(headroom_relay_messages, headroom::atom, status, "status")
CAF_ADD_ATOM(headroom_relay_messages, headroom::atom, subscribe, "subscribe")
CAF_END_TYPE_ID_BLOCK(headroom_relay_messages)

namespace headroom::relay {

/// Receives what a relay node observes: the bus bridge (publishing to the detector),
/// or a test. Handlers must be cheap: the agent sends one message per session.
using relay_event_sink_actor = caf::typed_actor<
    // A session ended: device, bytes, duration, large transfers.
    caf::reacts_to<session_report>,
    // A device was relayed for the first time since the agent started.
    caf::reacts_to<device_first_seen>,
    // The relay refused a connection or a request (admission, hardening, upstream).
    caf::reacts_to<refusal>>;

/// The node agent: admits device sessions up to capacity, supervises and accounts for
/// them, and exposes the counters.
using node_agent_actor = caf::typed_actor<
    // May this session relay for DEVICE (connecting from ADDRESS)? The sender is the
    // session; in queue mode the answer may come only when a slot frees or the wait ends.
    caf::replies_to<atom::admit, std::string, std::string>::with<admission>,
    // A session ended: frees its slot and is counted.
    caf::reacts_to<session_report>,
    // The relay refused a request by itself: counted and forwarded.
    caf::reacts_to<refusal>,
    // The counters and live load.
    caf::replies_to<atom::status>::with<relay_status>,
    // Forward every event from now on to SINK as well (until it terminates).
    caf::reacts_to<atom::subscribe, relay_event_sink_actor>>;

/// Registers the types above with an actor system configuration.
inline void register_relay_messages(caf::actor_system_config& config) {
  config.add_message_types<caf::id_block::headroom_relay_messages>();
}

}  // namespace headroom::relay

// Handles travel only inside one process (the bus carries msgpack, not actor handles).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::relay::relay_event_sink_actor)
