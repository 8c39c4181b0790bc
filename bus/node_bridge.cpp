#include "bus/node_bridge.hpp"

#include <algorithm>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <map>
#include <memory>

#include "bus/bridge_support.hpp"
#include "bus/errors.hpp"
#include "bus/event_spool.hpp"
#include "bus/liveness.hpp"
#include "bus/socket_worker.hpp"

namespace headroom::bus {
namespace {

/// The node's full interface: the public one plus what its own threads send it.
using node_bridge_impl = node_bridge_actor::extend<
    // Frames from the DEALER or SUB worker.
    caf::reacts_to<atom::frame, frame_batch>,
    // Heartbeat interval: send a heartbeat, check the detector's liveness.
    caf::reacts_to<atom::tick>>;

/// What the factory opened for the actor: its sockets and its events' spool.
struct node_sockets {
  zmq::socket_t dealer;
  zmq::socket_t sub;
  std::unique_ptr<event_spool> spool;
};

struct node_bridge_state {
  static constexpr const char* name = "node_bridge";
  node_config config;
  node_listener_actor listener;
  std::unique_ptr<socket_worker> dealer;
  std::unique_ptr<socket_worker> sub;
  messages::envelope envelope;  ///< Reused for every frame: only type and seq change.
  std::uint64_t seq = 0;
  std::uint64_t hello_seq = 0;  ///< The seq of the latest hello; its ack means registered.
  std::string
      detector_instance;  ///< The detector instance announced to; empty before its first status.
  liveness detector_alive{std::chrono::seconds{5}};
  messages::node_heartbeat load;  ///< The latest load figures, sent with every heartbeat.
  /// Every device seen, by proxy then device id: what a re-announcement sends.
  std::map<std::string, std::map<std::string, messages::device_seen>> devices;
  bridge_stats stats;
  std::unique_ptr<event_spool> spool;
  std::string instance;         ///< Stamped on the events of this run.
  std::uint64_t event_seq = 0;  ///< The latest event's sequence number.
  bool registered = false;      ///< A live detector acked our latest hello: events flow.
  std::chrono::steady_clock::time_point last_ack;  ///< Or the latest (re)send, if later.
};

using node_self = node_bridge_impl::stateful_pointer<node_bridge_state>;

std::uint64_t send_to_hub(node_bridge_state& st, const messages::payload& body) {
  st.envelope.type = messages::type_of(body);
  st.envelope.seq = ++st.seq;
  ++st.stats.frames_out;
  outbound_frame frame{{}, {}, policy_for(st.envelope.type), st.envelope.type};
  messages::encode(st.envelope, body, frame.bytes);
  st.dealer->post(std::move(frame));
  return st.envelope.seq;
}

/// Sends a kept event with its instance's oldest kept sequence number, for the detector.
void send_event(node_bridge_state& st, spooled_event& e, std::uint64_t unacked_from) {
  auto body = e.body;
  *stamp_of(body).unacked_from = unacked_from;
  send_to_hub(st, body);
  e.sent = true;
}

/// (Re)sends every kept event not sent to this detector instance yet, oldest first.
void send_unsent(node_self self) {
  auto& st = self->state;
  if (!st.registered) return;
  std::map<std::string, std::uint64_t> oldest;  // blocks are in order: the first one seen
  for (auto& e : st.spool->events()) {
    oldest.try_emplace(e.instance, e.seq);
    if (e.sent) continue;
    send_event(st, e, oldest[e.instance]);
  }
  st.last_ack = self->clock().now();
}

/// Stamps, keeps and (when a detector has registered us) sends one event.
void keep_event(node_self self, messages::payload body) {
  auto& st = self->state;
  auto stamp = stamp_of(body);
  *stamp.instance = st.instance;
  *stamp.seq = ++st.event_seq;
  st.spool->append(std::move(body));
  if (!st.registered) return;
  auto& e = st.spool->events().back();
  if (e.seq != st.event_seq) return;  // a spool of one, over its bound: nothing to send
  // Nothing unsent before it when registered, so it alone goes.
  send_event(st, e, st.spool->oldest(st.instance));
}

/// Forgets what the detector acked; an ack naming events never sent is refused.
void on_events_ack(node_self self, const messages::events_ack& ack) {
  auto& st = self->state;
  if (ack.instance == st.instance && ack.through > st.event_seq) {
    count_refusal(st.stats,
                  {messages::wire_fault::bad_field, "events_ack.through",
                   std::to_string(ack.through) + " is beyond the latest event sent (" +
                       std::to_string(st.event_seq) + ") of instance " + ack.instance},
                  "detector");
    return;
  }
  if (st.spool->forget(ack.instance, ack.through) > 0) st.last_ack = self->clock().now();
}

/// Hello and every device seen, per proxy: all a (restarted) detector needs to know the node.
void announce(node_bridge_state& st) {
  ++st.stats.announcements;
  st.registered = false;  // until the new hello is acked
  for (auto& e : st.spool->events()) e.sent = false;
  st.hello_seq = send_to_hub(st, st.config.hello);
  for (const auto& [proxy, devices] : st.devices) {
    messages::devices_seen list{proxy, {}};
    list.devices.reserve(devices.size());
    for (const auto& [id, device] : devices) list.devices.push_back(device);
    send_to_hub(st, list);
  }
}

void on_detector_status(node_self self, const messages::detector_status& status) {
  auto& st = self->state;
  const bool recovered = st.detector_alive.heard(self->clock().now());
  self->send(st.listener, status);
  if (st.detector_instance.empty()) {
    // The first status after start: the hello already went to this instance.
    st.detector_instance = status.instance_id;
  } else if (status.instance_id != st.detector_instance) {
    st.detector_instance = status.instance_id;
    announce(st);
    return;  // hub_up follows the ack of the new hello
  }
  if (recovered && st.hello_seq == 0) {
    st.registered = true;
    self->send(st.listener, atom::hub_up_v, st.detector_instance);
    send_unsent(self);
  }
}

void handle_frame(node_self self, const std::string& bytes) {
  auto& st = self->state;
  auto decoded = messages::decode(bytes, st.config.limits);
  if (!decoded) {
    count_refusal(st.stats, decoded.failure(), "detector");
    return;
  }
  ++st.stats.frames_in;
  std::visit(
      [&](auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, messages::detector_status>) {
          on_detector_status(self, body);
        } else if constexpr (std::is_same_v<T, messages::ack>) {
          if (st.hello_seq != 0 && body.seq == st.hello_seq) {
            st.hello_seq = 0;  // registered: later acks are for device lists
            st.detector_alive.heard(self->clock().now());
            st.registered = true;
            self->send(st.listener, atom::hub_up_v, st.detector_instance);
            send_unsent(self);
          }
        } else if constexpr (std::is_same_v<T, messages::events_ack>) {
          on_events_ack(self, body);
        } else if constexpr (is_one_of<T, messages::overload_report, messages::adjustment_plan>) {
          self->send(st.listener, std::move(body));
        } else {
          ++st.stats.unexpected;
        }
      },
      decoded->body);
}

/// Events sent but not acked within the heartbeat timeout were lost on the way (or by a
/// gap before them): sent again, all of them, in order.
void resend_if_unacked(node_self self) {
  auto& st = self->state;
  const auto now = self->clock().now();
  if (!st.registered) return;
  const auto& events = st.spool->events();
  if (std::none_of(events.begin(), events.end(), [](const auto& e) { return e.sent; })) {
    st.last_ack = now;  // nothing awaits an ack: the timeout starts with the next send
    return;
  }
  if (now - st.last_ack <= st.config.heartbeat_timeout) return;
  std::uint64_t resent = 0;
  for (auto& e : st.spool->events())
    if (e.sent) {
      e.sent = false;
      ++resent;
    }
  if (resent == 0) return;
  st.stats.resent += resent;
  send_unsent(self);
}

void on_tick(node_self self) {
  auto& st = self->state;
  if (st.detector_alive.check(self->clock().now())) {
    st.registered = false;
    for (auto& e : st.spool->events()) e.sent = false;
    self->send(st.listener, atom::hub_stale_v);
  }
  resend_if_unacked(self);
  send_to_hub(st, st.load);
  self->delayed_send(self, st.config.heartbeat_interval, atom::tick_v);
}

node_bridge_impl::behavior_type node_bridge(node_self self, node_config config,
                                            node_listener_actor listener,
                                            std::shared_ptr<node_sockets> sockets) {
  auto& st = self->state;
  st.config = std::move(config);
  st.listener = std::move(listener);
  st.detector_alive = liveness{st.config.heartbeat_timeout};
  st.envelope.sender = st.config.hello.node_id;
  st.spool = std::move(sockets->spool);
  st.instance = random_instance_id();
  auto me = caf::actor_cast<node_bridge_impl>(self);
  auto forward = [me](std::vector<std::vector<zmq::message_t>>& messages) {
    frame_batch batch;
    batch.frames.reserve(messages.size());
    // One part per frame; a multipart message is not this protocol and decodes as truncated.
    for (auto& parts : messages)
      batch.frames.push_back(parts.size() == 1 ? parts[0].to_string() : std::string{});
    caf::anon_send(me, atom::frame_v, std::move(batch));
  };
  st.dealer = std::make_unique<socket_worker>("node dealer", std::move(sockets->dealer),
                                              st.config.marks, forward);
  st.sub = std::make_unique<socket_worker>("node sub", std::move(sockets->sub), st.config.marks,
                                           forward);
  announce(st);
  self->send(self, atom::tick_v);
  return {
      [=](const messages::node_heartbeat& load) { self->state.load = load; },
      [=](const messages::devices_seen& seen) {
        auto& known = self->state.devices[seen.proxy_id];
        for (const auto& device : seen.devices) known[device.device_id] = device;
        send_to_hub(self->state, seen);
      },
      // Taken mutable: the message is moved into the payload rather than copied (the hot path).
      [=](messages::session_event& event) {
        keep_event(self, messages::payload{std::move(event)});
      },
      [=](std::vector<messages::session_event>& events) {
        for (auto& event : events) keep_event(self, messages::payload{std::move(event)});
      },
      [=](messages::observed_duration& observed) {
        keep_event(self, messages::payload{std::move(observed)});
      },
      [=](atom::get) {
        auto& st = self->state;
        auto stats = st.stats;
        stats.add(st.dealer->counters());
        stats.add(st.sub->counters());
        stats.peers_live = st.detector_alive.live() ? 1 : 0;
        stats.peers_stale = st.detector_alive.live() ? 0 : 1;
        stats.spooled = st.spool->events().size();
        stats.spool_dropped = st.spool->dropped();
        return stats;
      },
      [=](atom::frame, const frame_batch& batch) {
        for (const auto& bytes : batch.frames) handle_frame(self, bytes);
      },
      [=](atom::tick) { on_tick(self); },
  };
}

}  // namespace

domain::expected<node_config> validate(node_config config) {
  using domain::error;
  if (config.hello.node_id.empty()) return error{"hello.node_id", "must not be empty"};
  // The node id is the DEALER's routing id, so that a node that reconnects is the same
  // peer to the hub (which hands its identity over): ZeroMQ's rules for routing ids apply.
  if (config.hello.node_id.size() > 255) return error{"hello.node_id", "at most 255 bytes"};
  if (config.hello.node_id.front() == '\0')
    return error{"hello.node_id", "must not start with a zero byte"};
  if (config.hello.proxy_ids.empty())
    return error{"hello.proxy_ids", "a node relays for at least one proxy"};
  if (auto bad = check_heartbeat(config.heartbeat_interval, config.heartbeat_timeout,
                                 "heartbeat_interval", "heartbeat_timeout"))
    return *bad;
  if (config.router_endpoint.empty() || config.pub_endpoint.empty())
    return error{"router/pub endpoint", "must not be empty"};
  if (config.curve &&
      (config.curve->node.secret_key.empty() || config.curve->server_public_key.empty()))
    return error{"curve", "needs the node's key pair and the detector's public key"};
  if (config.spool_limit < 1) return error{"spool_limit", "must be at least 1"};
  return config;
}

caf::expected<node_bridge_actor> spawn_node_bridge(caf::actor_system& system,
                                                   zmq::context_t& context, node_config config,
                                                   node_listener_actor listener) {
  auto valid = validate(std::move(config));
  if (!valid) return caf::make_error(bus_errc::invalid_config, valid.failure().message());
  config = std::move(*valid);
  if (config.curve && !curve_available())
    return caf::make_error(bus_errc::curve_unavailable,
                           "curve: this libzmq was built without CurveZMQ");
  auto sockets = std::make_shared<node_sockets>();
  auto spool = event_spool::open(config.spool_path, config.spool_limit, config.hello.node_id);
  if (!spool)
    return caf::make_error(bus_errc::invalid_config, "spool: " + spool.failure().message());
  sockets->spool = std::make_unique<event_spool>(std::move(*spool));
  try {
    sockets->dealer = zmq::socket_t{context, zmq::socket_type::dealer};
    sockets->sub = zmq::socket_t{context, zmq::socket_type::sub};
    sockets->sub.set(zmq::sockopt::subscribe, "");
    sockets->dealer.set(zmq::sockopt::routing_id, config.hello.node_id);
    for (auto* socket : {&sockets->dealer, &sockets->sub}) {
      apply_marks(*socket, config.marks, config.limits);
      if (config.curve) {
        socket->set(zmq::sockopt::curve_serverkey, config.curve->server_public_key);
        socket->set(zmq::sockopt::curve_publickey, config.curve->node.public_key);
        socket->set(zmq::sockopt::curve_secretkey, config.curve->node.secret_key);
      }
    }
    connect_socket(sockets->dealer, config.router_endpoint);
    connect_socket(sockets->sub, config.pub_endpoint);
  } catch (const zmq::error_t& e) {
    return caf::make_error(bus_errc::socket_failed, std::string{"node: "} + e.what());
  } catch (const bind_failure& e) {
    return caf::make_error(bus_errc::socket_failed, e.message);
  }
  auto impl = system.spawn(node_bridge, std::move(config), std::move(listener), std::move(sockets));
  return caf::actor_cast<node_bridge_actor>(impl);
}

}  // namespace headroom::bus
