#pragma once

// The proxy-node side of the bus. Connects a DEALER to the detector's ROUTER and
// a SUB to its PUB, each on its own socket_worker thread, and bridges them to the
// node listener. It says hello on start, sends a heartbeat with the node's load
// every interval, remembers the devices seen so that it can re-announce them
// (hello + devices) when the detector restarts, and marks the detector stale
// when its status broadcasts stop for the timeout.
//
// Session events and transfer times go at least once: each is stamped with this
// bridge's instance id and a sequence number, kept in the spool (bus/event_spool)
// and sent while a detector has registered the node, until an events_ack covers
// it; unacked ones are sent again after the heartbeat timeout and to a restarted
// detector. A spool left by an earlier run is sent with the instance ids it has.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "bus/curve.hpp"
#include "bus/delivery_policy.hpp"
#include "bus/endpoints.hpp"
#include "bus/heartbeat.hpp"
#include "bus/interfaces.hpp"
#include "domain/expected.hpp"
#include "messages/codec.hpp"

namespace headroom::bus {

/// CurveZMQ on a node: its own key pair and the detector's public key.
struct node_curve_config {
  curve_keypair node;
  std::string server_public_key;
};

struct node_config {
  messages::node_hello hello;  ///< Who this node is; hello.node_id is its bus id.
  std::string router_endpoint = default_router_endpoint;
  std::string pub_endpoint = default_pub_endpoint;
  caf::timespan heartbeat_interval = default_heartbeat_interval;
  caf::timespan heartbeat_timeout =
      default_heartbeat_timeout;  ///< Silence after which the detector is stale.
  high_water_marks marks;
  messages::decode_limits limits;
  std::optional<node_curve_config> curve;
  std::string spool_path;            ///< The events' spool file; empty: in memory only.
  std::size_t spool_limit = 10'000;  ///< Events kept; past it the oldest is dropped.
};

/// Checks the settings; the error names the setting.
domain::expected<node_config> validate(node_config config);

/// Validates, connects both sockets and spawns the bridge. Stop it with an exit
/// message; `context` must outlive it. Errors name the option or endpoint.
caf::expected<node_bridge_actor> spawn_node_bridge(caf::actor_system& system,
                                                   zmq::context_t& context, node_config config,
                                                   node_listener_actor listener);

}  // namespace headroom::bus
