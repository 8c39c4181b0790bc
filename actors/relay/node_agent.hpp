#pragma once
// The node agent of a proxy node: admission (at most `capacity` distinct devices, at
// most `per_device_connections` each; refuse or queue when full), supervision of the
// relay sessions it admitted (a session that dies without reporting still frees its
// slot), the counters behind /metrics, and the event stream the bus bridge publishes.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "actors/relay/interfaces.hpp"
#include "domain/expected.hpp"
#include "domain/wall_clock.hpp"
#include "relay/admission_config.hpp"
#include "relay/relay_config.hpp"

namespace headroom::relay {

struct node_agent_config {
  std::string proxy_id = default_proxy_id;
  admission_config admission;  ///< The relay's [admission], as it is.
  /// Stamps first-seen devices; required.
  domain::wall_clock clock;
  /// Logs a refusal (optional; the application writes it to its log).
  std::function<void(const relay::refusal&)> log_refusal;
};

/// Checks the settings and fills the threshold when left to the capacity; the error names
/// the setting.
domain::expected<node_agent_config> validate(node_agent_config config);

/// The agent's own handlers beyond its public interface: the queue deadline.
using node_agent_impl =
    relay::node_agent_actor::extend<caf::reacts_to<atom::expire, std::uint64_t>>;

struct node_agent_state {
  // Declared so the state is no aggregate: C++20 would otherwise let CAF construct it
  // from the actor pointer through its first member.
  node_agent_state() = default;

  static constexpr const char* name = "node-agent";

  struct waiting {
    std::uint64_t ticket = 0;
    caf::actor_addr session;
    std::string device;
    std::string client_address;
    caf::typed_response_promise<relay::admission> promise;
  };

  node_agent_config config;
  std::map<caf::actor_addr, std::string> admitted;   ///< Session -> device.
  std::map<std::string, std::uint32_t> connections;  ///< Device -> admitted connections.
  std::deque<waiting> queue;
  std::uint64_t next_ticket = 1;
  std::set<std::string> seen;
  std::set<caf::actor_addr> monitored;
  relay::relay_status counters;  ///< Totals; live fields are filled in on request.
  std::vector<relay::relay_event_sink_actor> sinks;
};

node_agent_impl::behavior_type node_agent(node_agent_impl::stateful_pointer<node_agent_state> self,
                                          node_agent_config config);

/// Validates and spawns; the handle is the public interface.
caf::expected<relay::node_agent_actor> spawn_node_agent(caf::actor_system& system,
                                                        node_agent_config config);

}  // namespace headroom::relay
