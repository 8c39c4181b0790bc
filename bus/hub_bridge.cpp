#include "bus/hub_bridge.hpp"

#include <algorithm>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <unordered_map>

#include "bus/bridge_support.hpp"
#include "bus/errors.hpp"
#include "bus/liveness.hpp"
#include "bus/socket_worker.hpp"
#include "bus/zap_handler.hpp"
#include "common/percent.hpp"

namespace headroom::bus {
namespace {

/// The hub's full interface: the public one plus what its own threads send it.
using hub_bridge_impl = hub_bridge_actor::extend<
    // Frames from the ROUTER worker, each with its node's routing id.
    caf::reacts_to<atom::frame, frame_batch>,
    // Heartbeat interval: broadcast status, mark silent nodes stale.
    caf::reacts_to<atom::tick>>;

/// Sockets bound by the factory, handed to the actor that runs them.
struct hub_sockets {
  std::unique_ptr<zap_handler> zap;
  zmq::socket_t router;
  zmq::socket_t pub;
};

/// How far the hub has taken one node instance's events.
struct event_stream {
  std::uint64_t through = 0;  ///< Every event up to this one was handed on, once.
  std::uint64_t used = 0;     ///< When last heard, on the hub's own counter (for eviction).
};

/// Frame batches (of up to 256 frames) from the ROUTER handed to the actor and not yet
/// handled: beyond these a flooding peer waits in ZeroMQ, not in the actor's mailbox.
constexpr std::size_t unfinished_batches = 16;

/// Node instances remembered per node: a node restarted more often than this in one
/// detector run may have an old spool's resent events taken twice.
constexpr std::size_t streams_per_node = 8;

struct hub_node {
  std::string routing_id;
  liveness alive;
  std::map<std::string, event_stream> streams;  ///< By node instance.
};

struct hub_bridge_state {
  static constexpr const char* name = "hub_bridge";
  hub_config config;
  hub_listener_actor listener;
  std::unique_ptr<zap_handler> zap;  // declared first: outlives the sockets it authenticates
  std::unique_ptr<socket_worker> router;
  std::unique_ptr<socket_worker> pub;
  std::string instance_id;
  domain::instant started_at = 0;
  std::uint64_t seq = 0;
  std::unordered_map<std::string, hub_node> nodes;  ///< By node id.
  std::unordered_map<std::string, std::string> node_by_routing_id;
  /// Session events of one node from the current frame batch, not yet handed on.
  std::string pending_events_node;
  std::vector<messages::session_event> pending_events;
  /// events_ack to send after the current frame batch: (routing id, instance) -> through.
  std::map<std::pair<std::string, std::string>, std::uint64_t> pending_acks;
  std::uint64_t stream_clock = 0;
  bridge_stats stats;
};

using hub_self = hub_bridge_impl::stateful_pointer<hub_bridge_state>;

messages::detector_status current_status(const hub_bridge_state& st) {
  messages::detector_status status{st.config.detector_id, st.instance_id, st.started_at, 0, 0};
  for (const auto& [id, node] : st.nodes)
    ++(node.alive.live() ? status.nodes_live : status.nodes_stale);
  return status;
}

void send_to_node(hub_bridge_state& st, const std::string& routing_id,
                  const messages::payload& body) {
  auto bytes = messages::encode(st.config.detector_id, ++st.seq, body);
  ++st.stats.frames_out;
  st.router->post(
      {routing_id, std::move(bytes), policy_for(messages::type_of(body)), messages::type_of(body)});
}

void broadcast(hub_bridge_state& st, const messages::payload& body) {
  auto bytes = messages::encode(st.config.detector_id, ++st.seq, body);
  ++st.stats.frames_out;
  st.pub->post(
      {{}, std::move(bytes), policy_for(messages::type_of(body)), messages::type_of(body)});
}

/// Hands on the session events gathered so far; before anything else goes to
/// the listener, so that it sees every node's messages in order.
void flush_events(hub_self self) {
  auto& st = self->state;
  if (st.pending_events.empty()) return;
  self->send(st.listener, st.pending_events_node, std::move(st.pending_events));
  st.pending_events = {};
}

void mark_heard(hub_self self, const std::string& node_id, hub_node& node) {
  if (node.alive.heard(self->clock().now())) {
    flush_events(self);
    self->send(self->state.listener, atom::node_up_v, node_id);
  }
}

void register_node(hub_self self, const std::string& routing_id, const messages::frame& f) {
  auto& st = self->state;
  const auto& hello = std::get<messages::node_hello>(f.body);
  auto [it, added] = st.nodes.try_emplace(
      hello.node_id, hub_node{routing_id, liveness{st.config.heartbeat_timeout}, {}});
  if (!added && it->second.routing_id != routing_id) {
    // The node came back on a new connection (restarted): forget the old one.
    st.node_by_routing_id.erase(it->second.routing_id);
    it->second.routing_id = routing_id;
  }
  st.node_by_routing_id[routing_id] = hello.node_id;
  // Our status first, so the node knows which detector instance acked it.
  send_to_node(st, routing_id, current_status(st));
  send_to_node(st, routing_id, messages::ack{f.env.seq});
  flush_events(self);
  self->send(st.listener, hello.node_id, hello);
  mark_heard(self, hello.node_id, it->second);
}

/// A node's id when it has said hello, else its connection's routing id in hex.
std::string peer_label(const hub_bridge_state& st, const std::string& routing_id) {
  if (auto it = st.node_by_routing_id.find(routing_id); it != st.node_by_routing_id.end())
    return it->second;
  return "connection " + common::hex_encode(routing_id);
}

/// The stream of INSTANCE, remembered anew from UNACKED_FROM (the events before it were
/// taken by an earlier detector instance, or dropped by the node) when not known.
event_stream& stream_of(hub_bridge_state& st, hub_node& node, const std::string& instance,
                        std::uint64_t unacked_from) {
  auto it = node.streams.find(instance);
  if (it == node.streams.end()) {
    if (node.streams.size() >= streams_per_node)
      node.streams.erase(std::min_element(
          node.streams.begin(), node.streams.end(),
          [](const auto& a, const auto& b) { return a.second.used < b.second.used; }));
    it = node.streams.emplace(instance, event_stream{unacked_from > 0 ? unacked_from - 1 : 0, 0})
             .first;
  }
  it->second.used = ++st.stream_clock;
  return it->second;
}

/// Whether an event is handed on: each (node instance, sequence number) once, in order.
/// Acked after the batch; events from a peer of protocol 1.0 (no instance) pass unacked.
template <class Event>
bool take_event(hub_bridge_state& st, hub_node& node, const std::string& routing_id,
                const Event& e) {
  if (e.instance.empty()) return true;
  auto& stream = stream_of(st, node, e.instance, e.unacked_from);
  // The node no longer holds the events before unacked_from: it dropped them for its bound.
  if (e.unacked_from > stream.through + 1) {
    st.stats.lost += e.unacked_from - stream.through - 1;
    stream.through = e.unacked_from - 1;
  }
  bool take = false;
  if (e.event_seq == stream.through + 1) {
    stream.through = e.event_seq;
    take = true;
  } else if (e.event_seq <= stream.through) {
    ++st.stats.duplicates;
  } else {
    ++st.stats.out_of_order;  // one before it was lost on the way: the node resends both
  }
  st.pending_acks[{routing_id, e.instance}] = stream.through;
  return take;
}

void send_acks(hub_bridge_state& st) {
  for (const auto& [to, through] : st.pending_acks)
    send_to_node(st, to.first, messages::events_ack{to.second, through});
  st.pending_acks.clear();
}

void handle_frame(hub_self self, const std::string& routing_id, const std::string& bytes) {
  auto& st = self->state;
  auto decoded = messages::decode(bytes, st.config.limits);
  if (!decoded) {
    count_refusal(st.stats, decoded.failure(), peer_label(st, routing_id));
    return;
  }
  auto& f = *decoded;
  if (auto* hello = std::get_if<messages::node_hello>(&f.body)) {
    if (hello->node_id != f.env.sender || hello->node_id.empty()) {
      count_refusal(st.stats,
                    {messages::wire_fault::bad_field, "node_hello.node_id",
                     "\"" + hello->node_id + "\" is empty or differs from the envelope sender"},
                    peer_label(st, routing_id));
      return;
    }
    ++st.stats.frames_in;
    register_node(self, routing_id, f);
    return;
  }
  const auto known = st.node_by_routing_id.find(routing_id);
  if (known == st.node_by_routing_id.end()) {
    // Typically a node whose detector restarted: our status makes it say hello again.
    ++st.stats.unregistered;
    send_to_node(st, routing_id, current_status(st));
    return;
  }
  const auto& node_id = known->second;
  auto& node = st.nodes.at(node_id);
  mark_heard(self, node_id, node);
  ++st.stats.frames_in;
  std::visit(
      [&](auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (is_one_of<T, messages::session_event, messages::observed_duration>) {
          if (!take_event(st, node, routing_id, body)) return;
        }
        if constexpr (std::is_same_v<T, messages::session_event>) {
          if (st.pending_events_node != node_id) {
            flush_events(self);
            st.pending_events_node = node_id;
          }
          st.pending_events.push_back(std::move(body));
        } else if constexpr (is_one_of<T, messages::node_heartbeat, messages::devices_seen,
                                       messages::observed_duration>) {
          if constexpr (std::is_same_v<T, messages::devices_seen>)
            send_to_node(st, routing_id, messages::ack{f.env.seq});
          flush_events(self);
          self->send(st.listener, node_id, std::move(body));
        } else {
          ++st.stats.unexpected;
        }
      },
      f.body);
}

void on_tick(hub_self self) {
  auto& st = self->state;
  flush_events(self);
  const auto now = self->clock().now();
  for (auto& [id, node] : st.nodes)
    if (node.alive.check(now)) self->send(st.listener, atom::node_stale_v, id);
  broadcast(st, current_status(st));
  self->delayed_send(self, st.config.heartbeat_interval, atom::tick_v);
}

hub_bridge_impl::behavior_type hub_bridge(hub_self self, hub_config config,
                                          hub_listener_actor listener,
                                          std::shared_ptr<hub_sockets> sockets) {
  auto& st = self->state;
  st.config = std::move(config);
  st.listener = std::move(listener);
  st.instance_id = random_instance_id();
  st.started_at = st.config.clock.seconds();
  st.zap = std::move(sockets->zap);
  auto me = caf::actor_cast<hub_bridge_impl>(self);
  st.router = std::make_unique<socket_worker>(
      "hub router", std::move(sockets->router), st.config.marks,
      [me](std::vector<std::vector<zmq::message_t>>& messages) {
        frame_batch batch;
        batch.routing_ids.reserve(messages.size());
        batch.frames.reserve(messages.size());
        for (auto& parts : messages) {
          // [routing id, frame]; more parts are not this protocol and decode as truncated.
          batch.routing_ids.push_back(parts[0].to_string());
          batch.frames.push_back(parts.size() == 2 ? parts[1].to_string() : std::string{});
        }
        caf::anon_send(me, atom::frame_v, std::move(batch));
      },
      unfinished_batches);
  st.pub =
      std::make_unique<socket_worker>("hub pub", std::move(sockets->pub), st.config.marks, nullptr);
  self->send(self, atom::tick_v);
  return {
      [=](const messages::overload_report& report) { broadcast(self->state, report); },
      [=](const messages::adjustment_plan& plan) { broadcast(self->state, plan); },
      [=](atom::get) {
        auto& st = self->state;
        auto stats = st.stats;
        stats.add(st.router->counters());
        stats.add(st.pub->counters());
        if (st.zap) stats.auth_refused = st.zap->refused();
        const auto status = current_status(st);
        stats.peers_live = status.nodes_live;
        stats.peers_stale = status.nodes_stale;
        return stats;
      },
      [=](atom::frame, const frame_batch& batch) {
        for (std::size_t i = 0; i < batch.frames.size(); ++i)
          handle_frame(self, batch.routing_ids[i], batch.frames[i]);
        flush_events(self);
        send_acks(self->state);
        self->state.router->batch_done();
      },
      [=](atom::tick) { on_tick(self); },
  };
}

}  // namespace

domain::expected<hub_config> validate(hub_config config) {
  using domain::error;
  if (config.detector_id.empty()) return error{"detector_id", "must not be empty"};
  if (!config.clock) return error{"clock", "the hub needs a wall clock"};
  if (auto bad = check_heartbeat(config.heartbeat_interval, config.heartbeat_timeout,
                                 "heartbeat_interval", "heartbeat_timeout"))
    return *bad;
  if (config.router_endpoint.empty() || config.pub_endpoint.empty())
    return error{"router/pub endpoint", "must not be empty"};
  const bool ephemeral_port =
      config.pub_endpoint.ends_with(":*") || config.pub_endpoint.ends_with(":0");
  if (config.router_endpoint == config.pub_endpoint && !ephemeral_port)
    return error{"pub_endpoint", "must differ from router_endpoint"};
  if (config.curve && config.curve->server.secret_key.empty())
    return error{"curve.server", "needs the secret key"};
  return config;
}

caf::expected<hub_endpoint> spawn_hub_bridge(caf::actor_system& system, zmq::context_t& context,
                                             hub_config config, hub_listener_actor listener) {
  auto valid = validate(std::move(config));
  if (!valid) return caf::make_error(bus_errc::invalid_config, valid.failure().message());
  config = std::move(*valid);
  if (config.curve && !curve_available())
    return caf::make_error(bus_errc::curve_unavailable,
                           "curve: this libzmq was built without CurveZMQ");
  auto sockets = std::make_shared<hub_sockets>();
  hub_endpoint endpoint;
  try {
    if (config.curve)
      sockets->zap = std::make_unique<zap_handler>(context, config.curve->allowed_nodes);
    sockets->router = zmq::socket_t{context, zmq::socket_type::router};
    sockets->pub = zmq::socket_t{context, zmq::socket_type::pub};
    // An unroutable ack or status is counted instead of vanishing silently.
    sockets->router.set(zmq::sockopt::router_mandatory, 1);
    sockets->router.set(zmq::sockopt::router_handover, 1);
    for (auto* socket : {&sockets->router, &sockets->pub}) {
      apply_marks(*socket, config.marks, config.limits);
      if (config.curve) {
        socket->set(zmq::sockopt::curve_server, 1);
        socket->set(zmq::sockopt::curve_secretkey, config.curve->server.secret_key);
        socket->set(zmq::sockopt::zap_domain, "headroom");
      }
    }
    endpoint.router_endpoint = bind_socket(sockets->router, config.router_endpoint);
    endpoint.pub_endpoint = bind_socket(sockets->pub, config.pub_endpoint);
  } catch (const zmq::error_t& e) {
    return caf::make_error(bus_errc::socket_failed, std::string{"hub: "} + e.what());
  } catch (const bind_failure& e) {
    return caf::make_error(bus_errc::socket_failed, e.message);
  }
  if (auto warning =
          plaintext_bus_warning(endpoint.router_endpoint, endpoint.pub_endpoint, !!config.curve)) {
    if (config.warn)
      config.warn(*warning);
    else
      std::cerr << "headroom detector: " << *warning << std::endl;
  }
  auto impl = system.spawn(hub_bridge, std::move(config), std::move(listener), std::move(sockets));
  endpoint.bridge = caf::actor_cast<hub_bridge_actor>(impl);
  return endpoint;
}

}  // namespace headroom::bus
