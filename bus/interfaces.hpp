#pragma once

// The typed interfaces of the bus's bridge actors and of the actors behind them.
// Node ids are the `node_id` of a node's hello (and its envelope sender).

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>
#include <string>

#include "bus/stats.hpp"
#include "messages/caf_types.hpp"

// Every atom of Headroom lives in headroom::atom, declared in the lowest block that uses it;
// these are shared by the bus and both roles.
CAF_ADD_ATOM(headroom_bus, headroom::atom, get, "get")
CAF_ADD_ATOM(headroom_bus, headroom::atom, status, "status")
CAF_ADD_ATOM(headroom_bus, headroom::atom, node_up, "node_up")
CAF_ADD_ATOM(headroom_bus, headroom::atom, node_stale, "node_stale")
CAF_ADD_ATOM(headroom_bus, headroom::atom, hub_up, "hub_up")
CAF_ADD_ATOM(headroom_bus, headroom::atom, hub_stale, "hub_stale")
CAF_ADD_ATOM(headroom_bus, headroom::atom, frame, "frame")
CAF_ADD_ATOM(headroom_bus, headroom::atom, tick, "tick")
CAF_ADD_ATOM(headroom_bus, headroom::atom, refused, "refused")

namespace headroom::bus {

/// Behind the hub: the detector's actors that take what nodes send.
using hub_listener_actor = caf::typed_actor<
    // A node registered (hello) or re-registered after a detector restart.
    caf::reacts_to<std::string, messages::node_hello>,
    // A node's heartbeat with its load.
    caf::reacts_to<std::string, messages::node_heartbeat>,
    // The devices a node relays for one proxy.
    caf::reacts_to<std::string, messages::devices_seen>,
    // A node's session events in the order sent, batched as they arrived (the hot path).
    caf::reacts_to<std::string, std::vector<messages::session_event>>,
    // A measured transfer time.
    caf::reacts_to<std::string, messages::observed_duration>,
    // A node became live: registered, or heard from again after being stale.
    caf::reacts_to<atom::node_up, std::string>,
    // A node missed its heartbeats for the timeout; its devices are stale with it.
    caf::reacts_to<atom::node_stale, std::string>>;

/// The detector side of the bus: ROUTER for nodes' frames, PUB for broadcasts.
using hub_bridge_actor = caf::typed_actor<
    // Broadcasts a proxy's overloaded windows to every node.
    caf::reacts_to<messages::overload_report>,
    // Broadcasts a schedule adjustment to every node.
    caf::reacts_to<messages::adjustment_plan>,
    // The counters so far, with the live and stale nodes.
    caf::replies_to<atom::get>::with<bridge_stats>>;

/// Behind a node: the node agent's actors that take what the detector sends.
using node_listener_actor = caf::typed_actor<
    // A broadcast of overloaded windows.
    caf::reacts_to<messages::overload_report>,
    // A broadcast schedule adjustment.
    caf::reacts_to<messages::adjustment_plan>,
    // The detector's periodic status (its heartbeat).
    caf::reacts_to<messages::detector_status>,
    // The detector registered this node (acked its hello); carries the detector's instance id.
    caf::reacts_to<atom::hub_up, std::string>,
    // The detector missed its heartbeats for the timeout.
    caf::reacts_to<atom::hub_stale>>;

/// The node side of the bus: DEALER to the detector's ROUTER, SUB to its PUB.
using node_bridge_actor = caf::typed_actor<
    // The node's current load; the next heartbeat carries it.
    caf::reacts_to<messages::node_heartbeat>,
    // Devices seen for one proxy; remembered and re-announced after a detector restart.
    caf::reacts_to<messages::devices_seen>,
    // One relay session's event.
    caf::reacts_to<messages::session_event>,
    // Several, in order: what a busy relay's agent sends (one actor message, many frames).
    caf::reacts_to<std::vector<messages::session_event>>,
    // A measured transfer time.
    caf::reacts_to<messages::observed_duration>,
    // The counters so far.
    caf::replies_to<atom::get>::with<bridge_stats>>;

}  // namespace headroom::bus

// The bus's block of type IDs (messages/type_id_ranges.hpp places every block).
CAF_BEGIN_TYPE_ID_BLOCK(headroom_bus, headroom::type_ids::bus)
CAF_ADD_TYPE_ID(headroom_bus, (headroom::bus::bridge_stats))
CAF_ADD_TYPE_ID(headroom_bus, (headroom::bus::frame_batch))
CAF_ADD_TYPE_ID(headroom_bus, (std::vector<headroom::messages::session_event>))
CAF_ADD_TYPE_ID(headroom_bus, (headroom::bus::node_bridge_actor))
CAF_END_TYPE_ID_BLOCK(headroom_bus)

// Handles travel only inside one process (the bus carries msgpack, not actor handles).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::bus::node_bridge_actor)
