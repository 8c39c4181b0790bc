#include "actors/relay/node_bus_adapter.hpp"

#include <algorithm>
#include <caf/sec.hpp>
#include <caf/typed_response_promise.hpp>
#include <limits>

#include "actors/relay/node_bus_mapping.hpp"
#include "actors/relay/relay_errors.hpp"

namespace headroom::relay {
namespace {

using self_pointer = node_bus_adapter_impl::stateful_pointer<node_bus_adapter_state>;

void log(self_pointer self, const std::string& line) {
  if (self->state.config.log) self->state.config.log(line);
}

std::int32_t clamped(std::uint32_t n) {
  return static_cast<std::int32_t>(
      std::min<std::uint32_t>(n, std::numeric_limits<std::int32_t>::max()));
}

// The bridge keeps every event until the detector acks it (bus/event_spool), whether the
// detector is there or not: the adapter holds events only until a bridge is attached.
bool publishing(const node_bus_adapter_state& st) { return static_cast<bool>(st.bridge); }

// Keeps an event until a bridge is attached; past the bound the oldest goes.
void hold(self_pointer self, held_event event) {
  auto& st = self->state;
  if (st.held.size() >= st.config.held_limit) {
    if (!st.dropping)
      log(self, "no bus yet: " + std::to_string(st.config.held_limit) +
                    " events held, dropping the oldest from now on");
    st.dropping = true;
    ++st.dropped;
    st.held.pop_front();
  }
  st.held.push_back(std::move(event));
}

void publish(self_pointer self, std::vector<messages::session_event> events) {
  auto& st = self->state;
  if (events.empty()) return;
  if (!publishing(st)) {
    for (auto& e : events) hold(self, std::move(e));
    return;
  }
  self->send(st.bridge, std::move(events));
}

void publish(self_pointer self, messages::observed_duration observed) {
  auto& st = self->state;
  if (!publishing(st)) return hold(self, std::move(observed));
  self->send(st.bridge, std::move(observed));
}

// Sends on what was held, in order: runs of session events as one message each.
void release_held(self_pointer self) {
  auto& st = self->state;
  std::vector<messages::session_event> run;
  for (auto& event : st.held) {
    if (auto* e = std::get_if<messages::session_event>(&event)) {
      run.push_back(std::move(*e));
      continue;
    }
    if (!run.empty()) self->send(st.bridge, std::exchange(run, {}));
    self->send(st.bridge, std::move(std::get<messages::observed_duration>(event)));
  }
  if (!run.empty()) self->send(st.bridge, std::move(run));
  st.held.clear();
  st.dropping = false;
}

domain::monitoring_mode mode_of(const node_bus_adapter_config& c, const std::string& device) {
  auto it = c.modes.find(device);
  return it == c.modes.end() ? c.default_mode : it->second;
}

// Every beat: the devices first seen since the last one, in one list, and the load.
void on_beat(self_pointer self) {
  auto& st = self->state;
  if (st.bridge && !st.new_devices.empty())
    self->send(st.bridge,
               messages::devices_seen{st.config.proxy_id, std::exchange(st.new_devices, {})});
  self->request(st.agent, st.config.heartbeat_interval, atom::status_v)
      .then(
          [self](const relay::relay_status& s) {
            if (self->state.bridge)
              self->send(self->state.bridge,
                         messages::node_heartbeat{clamped(s.active_connections),
                                                  clamped(s.active_devices), clamped(s.queued)});
          },
          // A busy agent: the bridge repeats the load it has until the next answer.
          [](const caf::error&) {});
  self->delayed_send(self, st.config.heartbeat_interval, atom::beat_v);
}

relay::detector_link link_of(const node_bus_adapter_state& st) {
  relay::detector_link link;
  link.state = st.state;
  link.endpoint = st.config.endpoint;
  link.instance_id = st.instance_id;
  link.held = st.held.size();
  link.dropped = st.dropped;
  return link;
}

}  // namespace

domain::expected<node_bus_adapter_config> validate(node_bus_adapter_config c) {
  using domain::error;
  if (c.proxy_id.empty()) return error{"proxy_id", "must not be empty"};
  if (c.heartbeat_interval <= caf::timespan::zero())
    return error{"heartbeat_interval", "must be positive"};
  if (c.held_limit < 1) return error{"held_limit", "must be at least 1"};
  if (c.package_path.empty() || c.package_path.front() != '/')
    return error{"package_path", "must start with '/'"};
  if (!c.clock) return error{"clock", "no wall clock given"};
  return c;
}

node_bus_adapter_impl::behavior_type node_bus_adapter(self_pointer self,
                                                      node_bus_adapter_config config,
                                                      relay::node_agent_actor agent) {
  auto& st = self->state;
  st.config = std::move(config);
  st.agent = std::move(agent);
  // The adapter lives for its agent: a relay without an agent has nothing to report.
  self->monitor(st.agent);
  self->set_down_handler([self](const caf::down_msg& down) {
    if (down.source == self->state.agent.address()) self->quit(down.reason);
  });
  self->send(self, atom::beat_v);
  return {
      [self](const relay::session_report& report) {
        const auto now = self->state.config.clock.seconds();
        publish(self, session_events(report, self->state.config.proxy_id, now));
        for (auto& observed : observed_durations(report, self->state.config.models,
                                                 self->state.config.package_path, now))
          publish(self, std::move(observed));
      },
      [self](const relay::device_first_seen& seen) {
        auto& st = self->state;
        st.new_devices.push_back({seen.device_id, seen.first_seen_ms / 1000,
                                  mode_of(st.config, seen.device_id), seen.client_address});
      },
      [self](const relay::refusal& refusal) {
        if (auto event = refused_event(refusal, self->state.config.proxy_id,
                                       self->state.config.clock.seconds()))
          publish(self, std::vector<messages::session_event>{std::move(*event)});
      },
      [self](const messages::overload_report& report) {
        if (report.proxy_id == self->state.config.proxy_id && !report.windows.empty())
          log(self, "detector: proxy " + report.proxy_id + " overloaded in " +
                        std::to_string(report.windows.size()) + " window(s)");
      },
      // Plans are applied by the distribution system; the node has nothing to do with them.
      [](const messages::adjustment_plan&) {},
      // The detector's heartbeat; the bridge tracks its liveness and instance.
      [](const messages::detector_status&) {},
      [self](atom::hub_up, const std::string& instance) {
        auto& st = self->state;
        const bool restarted = !st.instance_id.empty() && st.instance_id != instance;
        st.state = "connected";
        st.instance_id = instance;
        log(self, std::string{restarted ? "detector restarted, node re-announced"
                                        : "detector connected"} +
                      ": " + st.config.endpoint + " instance " + instance);
      },
      [self](atom::hub_stale) {
        self->state.state = "stale";
        log(self, "detector stale: " + self->state.config.endpoint +
                      " silent; spooling events until it is back");
      },
      [self](atom::attach, bus::node_bridge_actor bridge) {
        self->link_to(bridge);
        self->state.bridge = std::move(bridge);
        if (publishing(self->state)) release_held(self);
      },
      [self](atom::status) -> caf::result<relay::detector_link> {
        auto& st = self->state;
        if (!st.bridge) return link_of(st);
        auto promise = self->make_response_promise<relay::detector_link>();
        self->request(st.bridge, st.config.heartbeat_interval, atom::get_v)
            .then(
                [self, promise](const bus::bridge_stats& stats) mutable {
                  auto link = link_of(self->state);
                  link.announcements = stats.announcements;
                  link.bus_dropped = stats.dropped;
                  link.held += stats.spooled;
                  link.dropped += stats.spool_dropped;
                  promise.deliver(link);
                },
                [self, promise](const caf::error&) mutable {
                  promise.deliver(link_of(self->state));
                });
        return promise;
      },
      [self](atom::beat) { on_beat(self); },
  };
}

caf::expected<node_bus_adapter_actor> spawn_node_bus_adapter(caf::actor_system& system,
                                                             node_bus_adapter_config config,
                                                             relay::node_agent_actor agent) {
  auto valid = validate(std::move(config));
  if (!valid)
    return caf::make_error(relay_errc::invalid_config,
                           "node bus adapter: " + valid.failure().message());
  auto adapter = caf::actor_cast<node_bus_adapter_actor>(
      system.spawn(node_bus_adapter, std::move(*valid), agent));
  // Subscribed from here, so that the agent forwards every event after this returns.
  caf::anon_send(agent, atom::subscribe_v, caf::actor_cast<relay::relay_event_sink_actor>(adapter));
  return adapter;
}

caf::expected<node_bus> spawn_node_bus(caf::actor_system& system, zmq::context_t& context,
                                       bus::node_config bridge_config,
                                       node_bus_adapter_config adapter_config,
                                       relay::node_agent_actor agent) {
  auto adapter = spawn_node_bus_adapter(system, std::move(adapter_config), std::move(agent));
  if (!adapter) return adapter.error();
  auto bridge = bus::spawn_node_bridge(system, context, std::move(bridge_config),
                                       caf::actor_cast<bus::node_listener_actor>(*adapter));
  if (!bridge) {
    caf::anon_send_exit(*adapter, caf::exit_reason::user_shutdown);
    return bridge.error();
  }
  caf::anon_send(*adapter, atom::attach_v, *bridge);
  return node_bus{*adapter, *bridge};
}

}  // namespace headroom::relay
