#pragma once
// The relay listener: accepts device connections (in Asio) and spawns a relay session
// actor for each. Sessions are linked to it, so stopping the listener ends them all.

#include <boost/asio/ip/tcp.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <future>
#include <memory>

#include "actors/relay/interfaces.hpp"
#include "actors/relay/relay_session.hpp"
#include "relay/io_pool.hpp"
#include "relay/relay_context.hpp"

namespace headroom::relay {

struct relay_listener_state {
  // Declared so the state is no aggregate: C++20 would otherwise let CAF construct it
  // from the actor pointer through its first member.
  relay_listener_state() = default;

  static constexpr const char* name = "relay-listener";
  relay::node_agent_actor agent;
  std::uint64_t next_session = 1;
};

relay_listener_actor::behavior_type relay_listener(
    relay_listener_actor::stateful_pointer<relay_listener_state> self,
    relay::node_agent_actor agent);

struct relay_listener_handle {
  relay_listener_actor actor;
  std::uint16_t port = 0;
  /// Keeps the accept loop alive; release it only after `closed` and while the
  /// io_pool still exists.
  std::shared_ptr<void> acceptor;
  /// Ready once the terminated listener has closed the accept loop and no longer touches
  /// the io_pool (its down message may come earlier).
  std::shared_future<void> closed;
};

/// Binds `at`, spawns the listener and starts accepting on the pool's first io_context,
/// placing each connection on the pool's next. The error says why the address could not
/// be bound. Stop it by terminating the actor; wait for `closed` before stopping the pool.
caf::expected<relay_listener_handle> spawn_relay_listener(
    caf::actor_system& system, relay::io_pool& pool, const boost::asio::ip::tcp::endpoint& at,
    std::shared_ptr<relay::relay_context> context, relay::node_agent_actor agent);

}  // namespace headroom::relay
