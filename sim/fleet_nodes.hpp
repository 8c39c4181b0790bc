#pragma once
// Stand-ins for the proxy nodes of a fleet: one bus node per proxy that says hello with the
// proxy's capacity and threshold and announces the devices the fleet places behind it.
// `headroom demo` runs them over inproc:// until real relays take their place; the
// end-to-end tests run them over tcp://127.0.0.1.

#include <caf/actor_system.hpp>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "bus/node_bridge.hpp"
#include "domain/expected.hpp"
#include "domain/fleet.hpp"

namespace headroom::sim {

struct fleet_nodes_config {
  std::string router_endpoint;  ///< The detector's ROUTER.
  std::string pub_endpoint;     ///< The detector's PUB.
  caf::timespan heartbeat_interval = std::chrono::seconds{1};
  caf::timespan heartbeat_timeout = std::chrono::seconds{5};
};

/// What one node knows: its hello and the devices it announces.
struct node_announcement {
  messages::node_hello hello;
  messages::devices_seen devices;
};

/// One announcement per proxy of the fleet (node id `node-<proxy id>`), listing every
/// device whose path holds the proxy, with its monitoring mode.
std::vector<node_announcement> announcements_of(const domain::fleet& f, domain::instant now);

/// Spawns a node bridge per announcement and announces its devices. Stop them with exit
/// messages; `context` must outlive them.
domain::expected<std::vector<bus::node_bridge_actor>> spawn_fleet_nodes(
    caf::actor_system& system, zmq::context_t& context, const fleet_nodes_config& config,
    const std::vector<node_announcement>& nodes);

}  // namespace headroom::sim
