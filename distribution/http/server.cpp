#include "distribution/http/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"

namespace headroom::distribution {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

constexpr auto idle_timeout = std::chrono::seconds(60);
constexpr std::uint32_t header_limit = 16 * 1024;

/// One client connection: reads a request's header, picks the body limit from the route,
/// reads the body, answers, and goes on while the client keeps the connection alive.
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, const router& routes) : stream_(std::move(socket)), routes_(routes) {
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = remote.address().to_string();
  }

  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    // The route's limit is known only once the target is read: until then Beast must not
    // judge the Content-Length against its own default (on_header applies the real one).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted)
      return close();
    if (ec)
      return answer_error(problem_response(invalid("", "malformed HTTP request: " + ec.message())));
    const auto& header = parser_->get();
    limit_ = routes_.body_limit(header.method(), std::string(header.target()));
    if (parser_->content_length() &&
        *parser_->content_length() > static_cast<std::uint64_t>(limit_))
      return answer_error(too_large());
    parser_->body_limit(static_cast<std::uint64_t>(limit_));
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      // curl and other clients wait for this before sending a large body.
      continue_ = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(stream_, *continue_,
                               [self = shared_from_this()](beast::error_code e, std::size_t) {
                                 if (e) return self->close();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) return answer_error(too_large());
    if (ec) return close();
    auto request = parser_->release();
    auto response = routes_.dispatch(request, peer_);
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    send(std::move(response));
  }

  http_response too_large() const {
    return problem_response(
        {failure_kind::too_large, "",
         "the body is larger than this resource accepts (" + std::to_string(limit_) + " bytes)"});
  }

  /// Answers and closes: after a bad header or an oversized body the stream cannot be trusted.
  void answer_error(http_response response) {
    response.keep_alive(false);
    send(std::move(response));
  }

  void send(http_response response) {
    response_ = std::make_shared<http_response>(std::move(response));
    response_->prepare_payload();
    stream_.expires_after(idle_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec || !self->response_->keep_alive()) return self->close();
                        self->read_header();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::empty_body>> continue_;
  std::shared_ptr<http_response> response_;
  const router& routes_;
  std::int64_t limit_ = 0;  ///< The body limit of the request being read.
  std::string peer_;        ///< The client's (or its proxy's) address.
};

}  // namespace

struct http_server::impl {
  explicit impl(const router& r) : routes(r) {}

  void accept() {
    acceptor->async_accept(asio::make_strand(context),
                           [this](beast::error_code ec, tcp::socket socket) {
                             if (ec == asio::error::operation_aborted) return;
                             if (!ec) std::make_shared<session>(std::move(socket), routes)->run();
                             accept();
                           });
  }

  const router& routes;
  asio::io_context context;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
};

http_server::http_server(const router& routes) : impl_(std::make_unique<impl>(routes)) {}

http_server::~http_server() { stop(); }

domain::expected<std::uint16_t, failure> http_server::start(const std::string& host,
                                                            std::uint16_t port, int threads) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return failure{failure_kind::invalid, "listen", "'" + host + "' is not an IP address"};
  impl_->acceptor.emplace(impl_->context);
  const tcp::endpoint endpoint{address, port};
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(endpoint, ec);
  if (!ec) impl_->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return failure{failure_kind::invalid, "listen",
                   "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message()};
  const auto bound = impl_->acceptor->local_endpoint().port();
  impl_->accept();
  for (int i = 0; i < threads; ++i) impl_->threads.emplace_back([this] { impl_->context.run(); });
  return bound;
}

void http_server::stop() {
  if (impl_->threads.empty()) return;
  asio::post(impl_->context, [this] {
    beast::error_code ignored;
    impl_->acceptor->close(ignored);
  });
  impl_->context.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace headroom::distribution
