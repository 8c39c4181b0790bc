#pragma once
// The node's admin endpoint: GET /metrics (Prometheus text), /healthz, /status (JSON).
// The status comes asynchronously from the node agent through `status_source`, so
// no Asio thread ever blocks on an actor.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "relay/live_gauge.hpp"
#include "relay/relay_context.hpp"
#include "relay/relay_values.hpp"

namespace headroom::relay {

/// Asks for the current status and calls the continuation (from any thread) with it,
/// or with nullopt when the agent did not answer.
using status_source = std::function<void(std::function<void(std::optional<relay::relay_status>)>)>;

class admin_server {
 public:
  /// Binds and starts accepting; throws boost::system::system_error when it cannot bind.
  admin_server(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& at,
               std::shared_ptr<relay_context> context, status_source status);
  ~admin_server();

  [[nodiscard]] std::uint16_t port() const { return port_; }

  /// Stops accepting; requests in flight finish on their own.
  void stop();

  /// Waits until no request is in flight; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);

  struct state;  ///< Shared with the requests in flight.

 private:
  std::shared_ptr<state> state_;
  std::uint16_t port_ = 0;
};

}  // namespace headroom::relay
