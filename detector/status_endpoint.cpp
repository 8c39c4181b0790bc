#include "detector/status_endpoint.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "common/host_port.hpp"
#include "detector/status_text.hpp"

namespace headroom::detector {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr auto request_deadline = std::chrono::seconds{5};
constexpr std::uint32_t request_limit = 8 * 1024;

http::response<http::string_body> answer(const http::request<http::string_body>& req,
                                         const report_source& source) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.keep_alive(false);
  auto reply = [&](http::status status, const char* type, std::string body) {
    res.result(status);
    res.set(http::field::content_type, type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
  };
  const std::string_view target{req.target().data(), req.target().size()};
  const auto path = target.substr(0, target.find('?'));
  if (path != "/status" && path != "/metrics" && path != "/healthz")
    return reply(http::status::not_found, "text/plain",
                 "not found: try /status, /metrics or /healthz\n");
  if (req.method() != http::verb::get) {
    res.set(http::field::allow, "GET");
    return reply(http::status::method_not_allowed, "text/plain", "only GET\n");
  }
  auto report = source();
  if (!report)
    return reply(http::status::service_unavailable, "text/plain",
                 "the detector did not answer in time\n");
  if (path == "/healthz") {
    const bool ok = report->missing.empty();
    return reply(ok ? http::status::ok : http::status::service_unavailable, "text/plain",
                 ok ? "ok\n" : "not answering: " + report->missing.front() + "\n");
  }
  if (path == "/metrics")
    return reply(http::status::ok, "text/plain; version=0.0.4", render_metrics(*report));
  return reply(http::status::ok, "application/json", render_status_json(*report));
}

class exchange : public std::enable_shared_from_this<exchange> {
 public:
  exchange(tcp::socket socket, report_source source)
      : stream_(std::move(socket)), source_(std::move(source)) {}

  void start() {
    parser_.header_limit(request_limit);
    parser_.body_limit(request_limit);
    stream_.expires_after(request_deadline);
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec == http::error::header_limit || ec == http::error::body_limit)
                         return self->send(error_response(
                             http::status::request_header_fields_too_large, "request too large\n"));
                       if (ec) return;
                       self->send(answer(self->parser_.get(), self->source_));
                     });
  }

 private:
  static http::response<http::string_body> error_response(http::status status, std::string body) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::content_type, "text/plain");
    res.keep_alive(false);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
  }

  void send(http::response<http::string_body> res) {
    response_ = std::move(res);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code, std::size_t) {
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                      });
  }

  beast::tcp_stream stream_;
  report_source source_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> response_;
};

}  // namespace

struct status_endpoint::impl {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  report_source source;
  std::thread thread;
  std::uint16_t port = 0;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (!ec) std::make_shared<exchange>(std::move(socket), source)->start();
      accept();
    });
  }
};

domain::expected<std::unique_ptr<status_endpoint>> status_endpoint::start(
    const std::string& host_port, report_source source) {
  auto where = common::parse_host_port(host_port);
  if (!where) return domain::nest("detector.status", where.failure());
  auto state = std::make_unique<impl>();
  state->source = std::move(source);
  beast::error_code ec;
  const auto address = asio::ip::make_address(where->host, ec);
  if (ec) return domain::error{"detector.status", "is not an IP address: " + host_port};
  const tcp::endpoint at{address, where->port};
  state->acceptor.open(at.protocol(), ec);
  if (!ec) state->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(at, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return domain::error{"detector.status", "cannot listen on " + host_port + ": " + ec.message()};
  state->port = state->acceptor.local_endpoint().port();
  state->accept();
  state->thread = std::thread([s = state.get()] { s->io.run(); });
  return std::unique_ptr<status_endpoint>(new status_endpoint(std::move(state)));
}

status_endpoint::status_endpoint(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}

status_endpoint::~status_endpoint() { stop(); }

std::uint16_t status_endpoint::port() const { return impl_->port; }

void status_endpoint::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->io, [s = impl_.get()] {
    beast::error_code ignored;
    s->acceptor.close(ignored);
    s->io.stop();
  });
  impl_->thread.join();
}

}  // namespace headroom::detector
