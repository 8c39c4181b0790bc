#pragma once
// A whole proxy node in one object: the Asio threads, the node agent, the listener
// (with its sessions) and the admin endpoint, started from a validated relay_config
// and stopped in order. `headroom relay` and the tests run exactly this.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <functional>
#include <memory>

#include "actors/relay/node_agent.hpp"
#include "actors/relay/node_bus_adapter.hpp"
#include "actors/relay/relay_listener.hpp"
#include "domain/wall_clock.hpp"
#include "relay/admin_server.hpp"
#include "relay/io_pool.hpp"
#include "relay/relay_config.hpp"

namespace headroom::relay {

/// What the node's bus side needs from its host (used when the config names a detector).
struct relay_bus_options {
  std::string software_version = "unknown";     ///< Sent in the hello.
  std::function<void(const std::string&)> log;  ///< One line per change of the detector link.
};

class relay_node {
 public:
  /// Starts everything or nothing; the error says which address could not be bound or
  /// which setting is wrong. `clock` stamps first-seen devices and bus events;
  /// `log_refusal` (optional) logs each refusal. With `detector` in the config the node
  /// also connects to the detector's bus (it keeps relaying while the detector is away).
  static caf::expected<std::unique_ptr<relay_node>> start(
      caf::actor_system& system, relay::relay_config config, domain::wall_clock clock,
      std::function<void(const relay::refusal&)> log_refusal = {},
      relay_bus_options bus_options = {});
  ~relay_node();
  relay_node(const relay_node&) = delete;
  relay_node& operator=(const relay_node&) = delete;

  [[nodiscard]] std::uint16_t port() const { return listener_.port; }
  [[nodiscard]] std::uint16_t admin_port() const { return admin_->port(); }
  [[nodiscard]] const relay::node_agent_actor& agent() const { return agent_; }
  [[nodiscard]] const relay::relay_context& context() const { return *context_; }
  /// The bus side; null handles when the node runs standalone.
  [[nodiscard]] const node_bus& bus() const { return bus_; }

  /// Stops accepting, ends every session and the agent, joins the Asio threads.
  void stop();

 private:
  relay_node(caf::actor_system& system, std::size_t io_threads)
      : system_(system), io_(io_threads) {}

  caf::actor_system& system_;
  relay::io_pool io_;
  std::shared_ptr<relay::relay_context> context_;
  relay::node_agent_actor agent_;
  relay_listener_handle listener_;
  std::unique_ptr<relay::admin_server> admin_;
  std::unique_ptr<zmq::context_t> bus_context_;  ///< Outlives the bridge's sockets.
  node_bus bus_;
  bool stopped_ = false;
};

/// The bridge's and the adapter's settings taken from the relay's (which names a
/// detector); the error names a CurveZMQ key file that cannot be read.
caf::expected<bus::node_config> bridge_config_of(const relay::relay_config& config,
                                                 const std::string& software_version);
node_bus_adapter_config adapter_config_of(const relay::relay_config& config);

}  // namespace headroom::relay
