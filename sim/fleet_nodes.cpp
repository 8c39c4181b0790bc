#include "sim/fleet_nodes.hpp"

#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace headroom::sim {
namespace {

/// A stand-in node ignores the detector's broadcasts: it relays nothing to act on them.
bus::node_listener_actor::behavior_type quiet_listener() {
  return {
      [](const messages::overload_report&) {},
      [](const messages::adjustment_plan&) {},
      [](const messages::detector_status&) {},
      [](atom::hub_up, const std::string&) {},
      [](atom::hub_stale) {},
  };
}

}  // namespace

std::vector<node_announcement> announcements_of(const domain::fleet& f, domain::instant now) {
  std::vector<node_announcement> out(f.proxies.size());
  for (domain::index_t p = 0; p < f.proxies.size(); ++p) {
    const auto& proxy = f.proxies[p];
    out[p].hello = {"node-" + proxy.id, {proxy.id},           proxy.capacity,
                    proxy.threshold,    "headroom demo node", messages::protocol_major};
    out[p].devices.proxy_id = proxy.id;
  }
  for (const auto& d : f.devices) {
    const auto mode =
        d.relayed() ? domain::monitoring_mode::proxy : domain::monitoring_mode::direct;
    for (domain::index_t p : d.path) out[p].devices.devices.push_back({d.id, now, mode, ""});
  }
  return out;
}

domain::expected<std::vector<bus::node_bridge_actor>> spawn_fleet_nodes(
    caf::actor_system& system, zmq::context_t& context, const fleet_nodes_config& config,
    const std::vector<node_announcement>& nodes) {
  std::vector<bus::node_bridge_actor> out;
  for (const auto& n : nodes) {
    bus::node_config c;
    c.hello = n.hello;
    c.router_endpoint = config.router_endpoint;
    c.pub_endpoint = config.pub_endpoint;
    c.heartbeat_interval = config.heartbeat_interval;
    c.heartbeat_timeout = config.heartbeat_timeout;
    auto listener = system.spawn(quiet_listener);
    auto bridge = bus::spawn_node_bridge(system, context, c, listener);
    if (!bridge) {
      caf::anon_send_exit(listener, caf::exit_reason::user_shutdown);
      for (auto& b : out) caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
      return domain::error{n.hello.node_id, to_string(bridge.error())};
    }
    // The listener lives as long as its bridge.
    caf::actor_cast<caf::actor>(*bridge)->attach_functor([listener](const caf::error&) {
      caf::anon_send_exit(listener, caf::exit_reason::user_shutdown);
    });
    caf::anon_send(*bridge, n.devices);
    out.push_back(*bridge);
  }
  return out;
}

}  // namespace headroom::sim
