#pragma once

// The detector side of the bus. Binds a ROUTER (frames from nodes) and a PUB
// (broadcasts), each on its own socket_worker thread, and bridges them to the
// hub listener: decodes and refuses with counters, tracks each node live/stale
// from its frames, acks hellos and device lists, and broadcasts the detector's
// status every heartbeat interval (its heartbeat, with an instance id that tells
// nodes to re-announce after a restart). Session events and transfer times
// stamped with a node instance and sequence number are handed on once each, in
// order, and acked cumulatively per instance (events_ack) after each frame batch.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <zmq.hpp>

#include "bus/curve.hpp"
#include "bus/delivery_policy.hpp"
#include "bus/endpoints.hpp"
#include "bus/heartbeat.hpp"
#include "bus/interfaces.hpp"
#include "domain/expected.hpp"
#include "domain/wall_clock.hpp"
#include "messages/codec.hpp"

namespace headroom::bus {

/// CurveZMQ on the detector: its key pair and the node public keys it accepts.
struct hub_curve_config {
  curve_keypair server;
  std::set<std::string> allowed_nodes;
};

struct hub_config {
  std::string detector_id = "detector";
  std::string router_endpoint = default_router_endpoint;  ///< Nodes connect their DEALER here.
  std::string pub_endpoint = default_pub_endpoint;        ///< Nodes connect their SUB here.
  caf::timespan heartbeat_interval = default_heartbeat_interval;
  caf::timespan heartbeat_timeout =
      default_heartbeat_timeout;  ///< Silence after which a node is stale.
  high_water_marks marks;
  messages::decode_limits limits;
  std::optional<hub_curve_config> curve;
  /// Stamps the hub's status (its start time); required.
  domain::wall_clock clock;
  /// Where the loud warning about a plaintext bus off loopback goes (plaintext_bus_warning);
  /// empty: stderr.
  std::function<void(const std::string&)> warn;
};

/// Checks the settings; the error names the setting.
domain::expected<hub_config> validate(hub_config config);

/// A running hub: its actor and the endpoints it actually bound (port 0 resolved).
struct hub_endpoint {
  hub_bridge_actor bridge;
  std::string router_endpoint;
  std::string pub_endpoint;
};

/// Validates, binds both sockets and spawns the bridge. Stop it with an exit
/// message; `context` must outlive it. Errors name the option or endpoint.
caf::expected<hub_endpoint> spawn_hub_bridge(caf::actor_system& system, zmq::context_t& context,
                                             hub_config config, hub_listener_actor listener);

}  // namespace headroom::bus
