#include "actors/relay/relay_listener.hpp"

#include <boost/asio/post.hpp>
#include <caf/send.hpp>
#include <future>

#include "actors/relay/relay_errors.hpp"
#include "relay/proxy_connection.hpp"

namespace headroom::relay {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// The accept loop; owned by the listener actor, closed when it terminates.
struct acceptor_loop : std::enable_shared_from_this<acceptor_loop> {
  acceptor_loop(relay::io_pool& pool, std::shared_ptr<relay::relay_context> c)
      : pool(pool), acceptor(pool.first()), context(std::move(c)) {}

  // Runs on the first io_context's thread only, so the pool's turn needs no lock.
  void accept() {
    acceptor.async_accept(
        pool.next(), [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
          if (!ec) self->admit_socket(std::move(socket));
          self->accept();
        });
  }

  void admit_socket(tcp::socket socket) {
    auto& traffic = context->traffic;
    if (traffic.open_connections.load() >= context->config.max_connections) {
      // Out of file descriptors soon: shed before spending anything on the connection.
      traffic.connections_shed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    connection_ptr connection =
        std::make_shared<relay::proxy_connection>(std::move(socket), context);
    caf::anon_send(listener, atom::accepted_v, std::move(connection));
  }

  relay::io_pool& pool;
  tcp::acceptor acceptor;
  std::shared_ptr<relay::relay_context> context;
  relay_listener_actor listener;
};

/// Closes the acceptor on its thread; the strong reference taken here ends on return.
void close_accepting(const std::weak_ptr<acceptor_loop>& weak) {
  auto loop = weak.lock();
  if (!loop) return;
  asio::post(loop->acceptor.get_executor(), [loop] {
    boost::system::error_code ignored;
    loop->acceptor.close(ignored);
    loop->listener = nullptr;
  });
}

}  // namespace

relay_listener_actor::behavior_type relay_listener(
    relay_listener_actor::stateful_pointer<relay_listener_state> self,
    relay::node_agent_actor agent) {
  self->state.agent = std::move(agent);
  return {
      [self](atom::accepted, connection_ptr connection) {
        auto id = self->state.next_session++;
        self->spawn<caf::linked>(relay_session, std::move(connection), self->state.agent, id);
      },
  };
}

caf::expected<relay_listener_handle> spawn_relay_listener(
    caf::actor_system& system, relay::io_pool& pool, const tcp::endpoint& at,
    std::shared_ptr<relay::relay_context> context, relay::node_agent_actor agent) {
  auto loop = std::make_shared<acceptor_loop>(pool, std::move(context));
  boost::system::error_code ec;
  loop->acceptor.open(at.protocol(), ec);
  if (!ec) loop->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) loop->acceptor.bind(at, ec);
  if (!ec) loop->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return caf::make_error(relay_errc::cannot_listen,
                           "relay listener on " + at.address().to_string() + ":" +
                               std::to_string(at.port()) + ": " + ec.message());
  relay_listener_handle handle;
  handle.port = loop->acceptor.local_endpoint().port();
  handle.actor = system.spawn(relay_listener, std::move(agent));
  loop->listener = handle.actor;
  // The loop holds the listener's handle only while accepting: stopping breaks the cycle.
  // The functor holds the loop weakly: it may be destroyed on an actor thread after the
  // io_context is gone, and must not own Asio objects then. It runs in the listener's
  // cleanup, possibly after its down message went out, so it says when it is done: until
  // then it may still post to the io_context.
  auto done = std::make_shared<std::promise<void>>();
  handle.closed = done->get_future().share();
  auto stop = [weak = std::weak_ptr<acceptor_loop>(loop), done] {
    close_accepting(weak);
    done->set_value();
  };
  caf::actor_cast<caf::abstract_actor*>(handle.actor)->attach_functor(stop);
  handle.acceptor = loop;
  asio::post(pool.first(), [loop] { loop->accept(); });
  return handle;
}

}  // namespace headroom::relay
