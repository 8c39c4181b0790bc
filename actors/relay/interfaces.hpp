#pragma once
// The message interfaces of a proxy node's actors: the agent, whatever listens to the
// node's events (the bus adapter attaches as a relay_event_sink_actor), the listener and
// the sessions. Their types are registered by actors::register_types.

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "bus/interfaces.hpp"
#include "relay/connection_observer.hpp"
#include "relay/relay_values.hpp"

// The relay's atoms (the shared ones are in bus/interfaces.hpp).
CAF_ADD_ATOM(headroom_relay, headroom::atom, admit, "admit")
CAF_ADD_ATOM(headroom_relay, headroom::atom, subscribe, "subscribe")
CAF_ADD_ATOM(headroom_relay, headroom::atom, accepted, "accepted")
CAF_ADD_ATOM(headroom_relay, headroom::atom, identified, "identified")
CAF_ADD_ATOM(headroom_relay, headroom::atom, ended, "ended")
CAF_ADD_ATOM(headroom_relay, headroom::atom, expire, "expire")
CAF_ADD_ATOM(headroom_relay, headroom::atom, attach, "attach")
CAF_ADD_ATOM(headroom_relay, headroom::atom, beat, "beat")

namespace headroom::relay {

/// Receives what a relay node observes: the bus adapter (publishing to the detector through
/// the bus bridge), or a test. Handlers must be cheap: the agent sends one message per session.
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

/// A device connection, shared by its Asio handlers and its session actor.
using connection_ptr = std::shared_ptr<connection_control>;

/// One relay session per device connection: what it hears from its connection (through
/// relay::connection_observer).
using relay_session_actor = caf::typed_actor<
    // The first request names DEVICE: ask for admission.
    caf::reacts_to<atom::identified, std::string>,
    // The relay refused a request itself: REASON, DETAIL.
    caf::reacts_to<atom::refused, refusal_reason, std::string>,
    // The connection closed: report and end.
    caf::reacts_to<atom::ended, connection_totals>>;

/// The listener: spawns a session per accepted device connection.
using relay_listener_actor = caf::typed_actor<
    // A device connected: spawn its session.
    caf::reacts_to<atom::accepted, connection_ptr>>;

/// The bus adapter: an event sink for the agent, a listener for the bus bridge.
using node_bus_adapter_actor =
    relay_event_sink_actor::extend_with<bus::node_listener_actor>::extend<
        // Publish through BRIDGE from now on; the adapter links to it (sent once, by
        // spawn_node_bus).
        caf::reacts_to<atom::attach, bus::node_bridge_actor>,
        // The link to the detector, for /status.
        caf::replies_to<atom::status>::with<detector_link>>;

}  // namespace headroom::relay

// The relay's block of type IDs (messages/type_id_ranges.hpp places every block).
CAF_BEGIN_TYPE_ID_BLOCK(headroom_relay, headroom::type_ids::relay)
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::admission))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::connection_totals))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::session_report))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::refusal))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::device_first_seen))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::relay_status))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::refusal_reason))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::detector_link))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::relay_event_sink_actor))
CAF_ADD_TYPE_ID(headroom_relay, (headroom::relay::connection_ptr))
CAF_END_TYPE_ID_BLOCK(headroom_relay)

// Handles and connections travel only inside one process (the bus carries msgpack).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::relay::relay_event_sink_actor)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::relay::connection_ptr)
