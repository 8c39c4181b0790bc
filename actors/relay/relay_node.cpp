#include "actors/relay/relay_node.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <filesystem>
#include <iostream>
#include <zmq.hpp>

#include "actors/relay/relay_errors.hpp"
#include "bus/curve.hpp"
#include "common/host_port.hpp"

namespace headroom::relay {

namespace asio = boost::asio;

namespace {

using status_reply = std::function<void(std::optional<relay::relay_status>)>;

constexpr std::chrono::seconds status_timeout{5};

// One admin request's question to the agent (and to the bus adapter, when there is
// one); ends with the answer.
void ask_status(caf::event_based_actor* self, relay::node_agent_actor agent,
                node_bus_adapter_actor adapter, status_reply reply) {
  self->request(agent, status_timeout, atom::status_v)
      .then(
          [self, adapter, reply](relay::relay_status& s) {
            if (!adapter) return reply(s);
            self->request(adapter, status_timeout, atom::status_v)
                .then(
                    [reply, s](const relay::detector_link& link) mutable {
                      s.detector = link;
                      reply(s);
                    },
                    [reply, s](const caf::error&) mutable {
                      s.detector.state = "unknown";
                      reply(s);
                    });
          },
          [reply](const caf::error&) { reply(std::nullopt); });
}

// A CurveZMQ key file of the config, or an error naming the setting.
caf::expected<bus::curve_keypair> read_key(const char* setting, const std::string& file,
                                           bool need_secret) {
  auto keys = bus::read_key_file(file, need_secret);
  if (!keys)
    return caf::make_error(relay_errc::invalid_config,
                           std::string{setting} + ": " + keys.failure().message());
  return *keys;
}

}  // namespace

caf::expected<bus::node_config> bridge_config_of(const relay::relay_config& c,
                                                 const std::string& software_version) {
  bus::node_config out;
  out.hello = {c.node_id.empty() ? c.proxy_id : c.node_id,
               {c.proxy_id},
               static_cast<std::int32_t>(c.admission.capacity),
               static_cast<std::int32_t>(c.admission.threshold),
               software_version,
               messages::protocol_major};
  out.router_endpoint = c.detector;
  out.pub_endpoint = c.detector_pub;
  out.heartbeat_interval = c.heartbeat_interval;
  out.heartbeat_timeout = c.heartbeat_timeout;
  out.spool_limit = c.bus_buffer;
  if (!c.spool_dir.empty())
    out.spool_path = (std::filesystem::path{c.spool_dir} / (out.hello.node_id + ".spool")).string();
  if (!c.key_file.empty()) {
    auto node = read_key("key_file", c.key_file, true);
    if (!node) return node.error();
    auto detector = read_key("detector_key_file", c.detector_key_file, false);
    if (!detector) return detector.error();
    out.curve = bus::node_curve_config{*node, detector->public_key};
  }
  return out;
}

node_bus_adapter_config adapter_config_of(const relay::relay_config& c) {
  node_bus_adapter_config out;
  out.proxy_id = c.proxy_id;
  out.endpoint = c.detector;
  out.heartbeat_interval = c.heartbeat_interval;
  out.held_limit = c.bus_buffer;
  const auto mode = [](domain::monitoring_mode m) {
    return m == domain::monitoring_mode::direct ? domain::monitoring_mode::direct
                                                : domain::monitoring_mode::proxy;
  };
  out.default_mode = mode(c.default_mode);
  for (const auto& device : c.direct_devices) out.modes[device] = domain::monitoring_mode::direct;
  for (const auto& device : c.proxy_devices) out.modes[device] = domain::monitoring_mode::proxy;
  out.models = c.device_models;
  out.package_path = c.package_path;
  return out;
}

caf::expected<std::unique_ptr<relay_node>> relay_node::start(
    caf::actor_system& system, relay::relay_config config, domain::wall_clock clock,
    std::function<void(const relay::refusal&)> log_refusal, relay_bus_options bus_options) {
  auto valid = relay::validate(std::move(config));
  if (!valid) return caf::make_error(relay_errc::invalid_config, valid.failure().message());
  auto listen = common::parse_host_port(valid->listen);
  auto admin = common::parse_host_port(valid->admin);
  auto context = relay::make_relay_context(std::move(*valid));
  if (!context) return caf::make_error(relay_errc::invalid_config, context.failure().message());
  std::unique_ptr<relay_node> node{new relay_node(system, (*context)->config.io_threads)};
  node->context_ = std::move(*context);
  const auto& cfg = node->context_->config;
  auto agent =
      spawn_node_agent(system, {cfg.proxy_id, cfg.admission, clock, std::move(log_refusal)});
  if (!agent) return agent.error();
  node->agent_ = *agent;
  if (!cfg.detector.empty()) {
    auto bridge_config = bridge_config_of(cfg, bus_options.software_version);
    if (!bridge_config) {
      node->stop();
      return bridge_config.error();
    }
    auto adapter_config = adapter_config_of(cfg);
    adapter_config.clock = clock;
    adapter_config.log = std::move(bus_options.log);
    node->bus_context_ = std::make_unique<zmq::context_t>(1);
    auto bus = spawn_node_bus(system, *node->bus_context_, std::move(*bridge_config),
                              std::move(adapter_config), node->agent_);
    if (!bus) {
      node->stop();
      return bus.error();
    }
    node->bus_ = *bus;
  }
  auto at = [](const common::host_port& a) {
    return asio::ip::tcp::endpoint(asio::ip::make_address(a.host), a.port);
  };
  auto listener =
      spawn_relay_listener(system, node->io_, at(*listen), node->context_, node->agent_);
  if (!listener) {
    node->stop();
    return listener.error();
  }
  node->listener_ = *listener;
  auto status = [&system, agent = node->agent_, adapter = node->bus_.adapter](status_reply reply) {
    system.spawn(ask_status, agent, adapter, std::move(reply));
  };
  try {
    node->admin_ = std::make_unique<relay::admin_server>(node->io_.first(), at(*admin),
                                                         node->context_, status);
  } catch (const boost::system::system_error& e) {
    node->stop();
    return caf::make_error(relay_errc::cannot_listen,
                           "admin endpoint on " + cfg.admin + ": " + e.what());
  }
  node->io_.run();
  return node;
}

relay_node::~relay_node() { stop(); }

void relay_node::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (admin_) admin_->stop();
  // The listener's exit takes its linked sessions along; each session stops its
  // connection, which closes on the Asio threads: they run until the last one is gone.
  if (listener_.actor) {
    // Wait for the listener to terminate: its cleanup touches the accept loop, which
    // must happen while the Asio threads still run.
    caf::scoped_actor self{system_};
    self->monitor(listener_.actor);
    self->send_exit(listener_.actor, caf::exit_reason::user_shutdown);
    self->receive([](const caf::down_msg&) {});
    listener_.closed.wait();
  }
  constexpr std::chrono::seconds drain{10};
  if (!context_->traffic.open_connections.wait_until_zero(drain))
    std::cerr << "relay node: connections still open after " << drain.count()
              << " s; stopping anyway\n";
  if (admin_ && !admin_->wait_idle(drain))
    std::cerr << "relay node: admin requests still open after " << drain.count()
              << " s; stopping anyway\n";
  if (bus_.adapter) {
    // The bridge's sockets must be closed before its ZeroMQ context goes.
    caf::scoped_actor self{system_};
    self->send_exit(bus_.adapter, caf::exit_reason::user_shutdown);
    self->send_exit(bus_.bridge, caf::exit_reason::user_shutdown);
    self->wait_for(bus_.adapter, bus_.bridge);
  }
  if (agent_) caf::anon_send_exit(agent_, caf::exit_reason::user_shutdown);
  io_.stop();
  listener_.acceptor.reset();
  bus_context_.reset();
}

}  // namespace headroom::relay
