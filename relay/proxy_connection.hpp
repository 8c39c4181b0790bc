#pragma once
// One device connection through the relay: reads request heads, then relays requests
// (absolute-form, keep-alive, bodies streamed through two bounded buffers) or a CONNECT
// tunnel. All I/O runs on the client socket's executor, which one thread runs (or a
// strand); the session actor that owns it decides admission (admit / refuse_admission)
// and learns the outcome through the connection_observer, so bytes never pass through
// a mailbox.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "relay/byte_buffer.hpp"
#include "relay/chunked_scanner.hpp"
#include "relay/connection_observer.hpp"
#include "relay/http_head.hpp"
#include "relay/relay_context.hpp"
#include "relay/request_target.hpp"

namespace headroom::relay {

class proxy_connection final : public connection_control,
                               public std::enable_shared_from_this<proxy_connection> {
 public:
  using tcp = boost::asio::ip::tcp;

  /// `client`'s executor must run its handlers one at a time: an io_context of the
  /// io_pool (one thread each) or a strand.
  proxy_connection(tcp::socket client, std::shared_ptr<relay_context> context);
  ~proxy_connection() override;

  void start(std::shared_ptr<connection_observer> observer) override;
  void admit() override;
  void refuse_admission(std::uint32_t retry_after_seconds) override;
  void stop() override;
  [[nodiscard]] const std::string& client_address() const override { return client_address_; }

 private:
  using clock = std::chrono::steady_clock;
  enum class phase {
    head,
    admission,
    connecting,
    request_body,
    response_head,
    response_body,
    tunnel,
    closing,
    closed
  };
  using read_handler = std::function<void(boost::system::error_code, std::size_t)>;

  // -- request heads
  void read_head();
  void continue_head();
  void on_head(std::size_t length);
  void handle_request();
  void connect_upstream();
  void on_upstream_connected();

  // -- request and response (proxy_connection_exchange.cpp)
  void send_request();
  void pump_request_body();
  void read_response_head();
  void continue_response_head();
  void on_response_head(std::size_t length);
  void pump_response_body();
  void finish_request();

  // -- zero-copy response bodies (proxy_connection_splice.cpp)
  bool open_pipe();
  void close_pipe();
  void splice_response_body();

  // -- tunnels (proxy_connection_exchange.cpp)
  void start_tunnel();
  void pump_tunnel(bool from_device);

  // -- plumbing
  /// Reads what `from` has into `into`. `speculative`: try the socket before waiting
  /// (streams); otherwise wait first (the next head cannot be there yet).
  void read_some(tcp::socket& from, byte_buffer& into, bool speculative, read_handler handler);
  void arm_deadline(clock::duration after);
  void on_deadline();
  void fail(const http_error& error);
  void send_and_close(std::string response);
  void close();
  void record_transfer(std::uint64_t bytes);
  void drop_upstream();
  bool retry_on_fresh_upstream();

  // The context first and the count second: whichever thread drops the last reference,
  // the sockets below are gone before shutdown learns that this connection is.
  std::shared_ptr<relay_context> context_;
  live_gauge::token counted_;
  tcp::socket client_;
  tcp::socket upstream_;
  tcp::resolver resolver_;
  boost::asio::steady_timer timer_;
  const relay_config& config_;
  std::shared_ptr<connection_observer> observer_;
  std::string client_address_;

  byte_buffer from_device_;
  byte_buffer from_upstream_;
  phase phase_ = phase::head;
  std::uint64_t deadline_generation_ = 0;
  clock::time_point deadline_ = clock::time_point::max();  ///< Of the current phase.
  clock::time_point timer_expiry_{};                       ///< When the armed timer fires.
  bool timer_armed_ = false;

  // The current request.
  std::size_t head_scanned_ = 0;
  clock::time_point head_started_{};
  clock::time_point last_activity_{};
  bool head_bytes_seen_ = false;
  bool first_request_ = true;
  std::optional<std::string> device_;
  request_head request_;
  request_target target_;
  response_head response_;
  std::string pending_head_;  ///< Response head not yet written to the device.
  std::uint64_t body_remaining_ = 0;
  chunked_scanner chunks_;
  bool response_started_ = false;  ///< Bytes of a response already went to the device.
  bool keep_device_ = true;
  std::uint64_t request_bytes_ = 0;
  std::uint64_t response_bytes_ = 0;
  clock::time_point request_started_{};

  // The upstream connection, kept for the next request to the same authority.
  std::string upstream_authority_;
  bool upstream_reusable_ = false;
  bool upstream_reused_ = false;  ///< The current request went out on a kept connection.
  int tunnel_open_directions_ = 0;

  relay::connection_totals totals_;
  int pipe_[2] = {-1, -1};  ///< For splice(2), open only while a body moves through it.
  std::size_t piped_ = 0;   ///< Bytes in the pipe not yet at the device.
};

}  // namespace headroom::relay
