#include "actors/relay_node.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <iostream>

namespace headroom::actors {

namespace asio = boost::asio;

node_agent_config agent_config_of(const relay::relay_config& c) {
  node_agent_config out;
  out.proxy_id = c.proxy_id;
  out.capacity = c.capacity;
  out.threshold = c.threshold;
  out.per_device_connections = c.per_device_connections;
  out.queue_when_full = c.on_full == relay::on_full_policy::queue;
  out.queue_limit = c.queue_limit;
  out.queue_timeout = c.queue_timeout;
  out.retry_after_seconds = c.retry_after_seconds;
  return out;
}

void register_relay_node_types(caf::actor_system_config& config) {
  messages::register_relay_messages(config);
}

caf::expected<std::unique_ptr<relay_node>> relay_node::start(
    caf::actor_system& system, relay::relay_config config, std::function<std::int64_t()> wall_clock_ms,
    std::function<void(const messages::refusal&)> log_refusal) {
  auto valid = relay::validate(std::move(config));
  if (!valid) return caf::make_error(caf::sec::invalid_argument, valid.failure().message());
  auto listen = relay::parse_listen_address(valid->listen);
  auto admin = relay::parse_listen_address(valid->admin);
  auto context = relay::make_relay_context(std::move(*valid));
  if (!context) return caf::make_error(caf::sec::invalid_argument, context.failure().message());
  std::unique_ptr<relay_node> node{new relay_node()};
  node->context_ = std::move(*context);
  const auto& cfg = node->context_->config;
  auto agent_config = agent_config_of(cfg);
  agent_config.wall_clock_ms = std::move(wall_clock_ms);
  agent_config.log_refusal = std::move(log_refusal);
  auto agent = spawn_node_agent(system, std::move(agent_config));
  if (!agent) return agent.error();
  node->agent_ = *agent;
  auto at = [](const relay::listen_address& a) {
    return asio::ip::tcp::endpoint(asio::ip::make_address(a.host), a.port);
  };
  auto listener = spawn_relay_listener(system, node->io_, at(*listen), node->context_, node->agent_);
  if (!listener) {
    caf::anon_send_exit(node->agent_, caf::exit_reason::user_shutdown);
    return listener.error();
  }
  node->listener_ = *listener;
  auto agent_handle = node->agent_;
  auto status = [&system, agent_handle](std::function<void(std::optional<messages::relay_status>)> reply) {
    system.spawn([agent_handle, reply](caf::event_based_actor* self) {
      self->request(agent_handle, std::chrono::seconds(5), atom::status_v)
          .then([reply](const messages::relay_status& s) { reply(s); },
                [reply](const caf::error&) { reply(std::nullopt); });
    });
  };
  try {
    node->admin_ = std::make_unique<relay::admin_server>(node->io_, at(*admin), node->context_, status);
  } catch (const boost::system::system_error& e) {
    node->stop();
    return caf::make_error(caf::sec::cannot_open_port, "admin endpoint on " + cfg.admin + ": " + e.what());
  }
  for (std::uint32_t i = 0; i < cfg.io_threads; ++i) node->threads_.emplace_back([io = &node->io_] { io->run(); });
  return node;
}

relay_node::~relay_node() { stop(); }

void relay_node::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (admin_) admin_->stop();
  // The listener's exit takes its linked sessions along; each session stops its
  // connection, which closes on the Asio threads: they run until the last one is gone.
  if (listener_.actor) caf::anon_send_exit(listener_.actor, caf::exit_reason::user_shutdown);
  constexpr std::chrono::seconds drain{10};
  if (!context_->traffic.open_connections.wait_until_zero(drain))
    std::cerr << "relay node: connections still open after " << drain.count() << " s; stopping anyway\n";
  if (admin_ && !admin_->wait_idle(drain))
    std::cerr << "relay node: admin requests still open after " << drain.count() << " s; stopping anyway\n";
  if (agent_) caf::anon_send_exit(agent_, caf::exit_reason::user_shutdown);
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace headroom::actors
