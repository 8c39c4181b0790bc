#pragma once
// The node agent's bus side. Subscribes to the node agent as an event sink and publishes
// what the relay sees through the node bridge (bus/node_bridge): session events, measured
// download times, the devices seen with their monitoring mode, and — asking the agent every
// heartbeat interval — the node's live load. It is also the bridge's listener: it follows
// the detector (connected, stale) for the log and /status.
//
// Session events and transfer times go to the bridge, which keeps them in its spool until
// the detector acks them (at least once, across detector outages and the relay's own
// restart). Only before a bridge is attached are they held here, at most `held_limit`, the
// oldest dropped and counted. Devices seen always go straight to the bridge, which
// remembers them for re-announcements.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>
#include <zmq.hpp>

#include "actors/relay/interfaces.hpp"
#include "bus/heartbeat.hpp"
#include "bus/interfaces.hpp"
#include "bus/node_bridge.hpp"
#include "domain/expected.hpp"
#include "domain/wall_clock.hpp"
#include "relay/relay_config.hpp"

namespace headroom::relay {

struct node_bus_adapter_config {
  std::string proxy_id = default_proxy_id;
  std::string endpoint;  ///< The detector's ROUTER, for /status.
  caf::timespan heartbeat_interval =
      bus::default_heartbeat_interval;          ///< How often the load is asked.
  std::size_t held_limit = default_bus_buffer;  ///< Events held until a bridge is attached.
  domain::monitoring_mode default_mode = domain::monitoring_mode::proxy;
  std::map<std::string, domain::monitoring_mode> modes;  ///< Devices not in the default mode.
  std::map<std::string, std::string> models;             ///< device id -> model.
  std::string package_path =
      default_package_path;  ///< URL path prefix naming a download's package.
  /// Stamps the events; required.
  domain::wall_clock clock;
  /// Writes one line about the detector link to the log (optional).
  std::function<void(const std::string&)> log;
};

/// Checks the settings; the error names the setting.
domain::expected<node_bus_adapter_config> validate(node_bus_adapter_config config);

/// With the private heartbeat signal.
using node_bus_adapter_impl = node_bus_adapter_actor::extend<caf::reacts_to<atom::beat>>;

/// A session event or a transfer time, held while the detector is away.
using held_event = std::variant<messages::session_event, messages::observed_duration>;

struct node_bus_adapter_state {
  node_bus_adapter_state() = default;  // not an aggregate (see node_agent_state)

  static constexpr const char* name = "node-bus-adapter";

  node_bus_adapter_config config;
  relay::node_agent_actor agent;
  bus::node_bridge_actor bridge;     ///< Null until attached.
  std::string state = "connecting";  ///< "connecting", "connected" or "stale".
  std::string instance_id;           ///< The detector instance that acked the hello.
  std::deque<held_event> held;
  std::uint64_t dropped = 0;  ///< Held events dropped, oldest first, for the bound.
  bool dropping = false;      ///< The bound was reached in this absence (logged once).
  std::vector<messages::device_seen> new_devices;  ///< Sent with the next beat.
};

node_bus_adapter_impl::behavior_type node_bus_adapter(
    node_bus_adapter_impl::stateful_pointer<node_bus_adapter_state> self,
    node_bus_adapter_config config, relay::node_agent_actor agent);

/// Validates and spawns an adapter and subscribes it to `agent`; attach a bridge to it.
caf::expected<node_bus_adapter_actor> spawn_node_bus_adapter(caf::actor_system& system,
                                                             node_bus_adapter_config config,
                                                             relay::node_agent_actor agent);

/// A node's bus side: the adapter and the bridge it publishes through, linked.
struct node_bus {
  node_bus_adapter_actor adapter;
  bus::node_bridge_actor bridge;
};

/// Spawns the adapter, connects the bridge to the detector with the adapter as its
/// listener, and attaches them. `context` must outlive both; stop them with an exit.
caf::expected<node_bus> spawn_node_bus(caf::actor_system& system, zmq::context_t& context,
                                       bus::node_config bridge_config,
                                       node_bus_adapter_config adapter_config,
                                       relay::node_agent_actor agent);

}  // namespace headroom::relay
