#include "relay/admin_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "relay/http_head.hpp"
#include "relay/metrics_text.hpp"

namespace headroom::relay {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct admin_server::state : std::enable_shared_from_this<admin_server::state> {
  state(asio::io_context& io, std::shared_ptr<relay_context> c, status_source s)
      : io(io), acceptor(io), context(std::move(c)), status(std::move(s)) {}
  asio::io_context& io;
  tcp::acceptor acceptor;
  std::shared_ptr<relay_context> context;
  status_source status;
  live_gauge in_flight;

  void accept();
};

namespace {

// One admin request: read a small head, answer, close.
class admin_exchange : public std::enable_shared_from_this<admin_exchange> {
 public:
  admin_exchange(tcp::socket socket, std::shared_ptr<admin_server::state> server)
      : server_(std::move(server)),
        counted_(server_->in_flight),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()) {}

  void start() {
    timer_.expires_after(std::chrono::seconds(5));
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->socket_.close();
    });
    read();
  }

 private:
  void read() {
    auto room = buffer_.size() - used_;
    if (room == 0) return respond(431, "text/plain", "request head too large\n");
    socket_.async_read_some(asio::buffer(buffer_.data() + used_, room),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              if (ec) return;
                              self->used_ += n;
                              self->on_bytes();
                            });
  }

  void on_bytes() {
    http_limits limits{1024, buffer_.size(), 50};
    std::string_view data(buffer_.data(), used_);
    auto end = find_head_end(data, scanned_, limits);
    if (!end) return respond(end.failure().status, "text/plain", end.failure().what + "\n");
    if (*end == 0) return read();
    auto head = parse_request_head(data.substr(0, *end), limits);
    if (!head) return respond(head.failure().status, "text/plain", head.failure().what + "\n");
    if (head->method != "GET") return respond(405, "text/plain", "only GET\n");
    auto path = head->target.substr(0, head->target.find('?'));
    if (path == "/healthz") return respond(200, "text/plain", "ok\n");
    if (path != "/metrics" && path != "/status")
      return respond(404, "text/plain", "try /metrics, /status or /healthz\n");
    bool metrics = path == "/metrics";
    server_->status(
        [self = shared_from_this(), metrics](std::optional<relay::relay_status> status) {
          asio::post(self->socket_.get_executor(), [self, metrics, status = std::move(status)] {
            if (!status) return self->respond(503, "text/plain", "node agent not answering\n");
            const auto& traffic = self->server_->context->traffic;
            if (metrics)
              self->respond(200, "text/plain; version=0.0.4", render_metrics(*status, traffic));
            else
              self->respond(200, "application/json", render_status_json(*status, traffic));
          });
        });
  }

  void respond(int status, const std::string& type, std::string body) {
    auto text = std::make_shared<std::string>(
        "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
        "\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body);
    asio::async_write(socket_, asio::buffer(*text),
                      [self = shared_from_this(), text](error_code, std::size_t) {
                        error_code ignored;
                        self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
                        self->socket_.close(ignored);
                        self->timer_.cancel();
                      });
  }

  // Counted until the socket and timer are gone (the last reference may drop on an actor thread).
  std::shared_ptr<admin_server::state> server_;
  live_gauge::token counted_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::array<char, 8192> buffer_{};
  std::size_t used_ = 0;
  std::size_t scanned_ = 0;
};

}  // namespace

void admin_server::state::accept() {
  acceptor.async_accept(asio::make_strand(io),
                        [self = shared_from_this()](error_code ec, tcp::socket socket) {
                          if (ec == asio::error::operation_aborted || !self->acceptor.is_open())
                            return;
                          if (!ec)
                            std::make_shared<admin_exchange>(std::move(socket), self)->start();
                          self->accept();
                        });
}

admin_server::admin_server(asio::io_context& io, const tcp::endpoint& at,
                           std::shared_ptr<relay_context> context, status_source status)
    : state_(std::make_shared<state>(io, std::move(context), std::move(status))) {
  state_->acceptor.open(at.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(at);
  state_->acceptor.listen();
  port_ = state_->acceptor.local_endpoint().port();
  state_->accept();
}

admin_server::~admin_server() { stop(); }

bool admin_server::wait_idle(std::chrono::milliseconds timeout) {
  return state_->in_flight.wait_until_zero(timeout);
}

void admin_server::stop() {
  asio::post(state_->acceptor.get_executor(), [s = state_] {
    error_code ignored;
    s->acceptor.close(ignored);
  });
}

}  // namespace headroom::relay
