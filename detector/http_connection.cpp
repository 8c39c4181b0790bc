#include "detector/http_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "detector/detector_errors.hpp"

namespace headroom::detector {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

http::verb verb_of(http_method m) {
  switch (m) {
    case http_method::get:
      return http::verb::get;
    case http_method::put:
      return http::verb::put;
    case http_method::post:
      return http::verb::post;
    case http_method::patch:
      return http::verb::patch;
  }
  return http::verb::get;
}

// The server closed a kept connection before answering: safe to send again on a new one.
bool closed_before_answer(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

}  // namespace

struct http_connection::impl {
  std::string host;
  std::uint16_t port;
  http_limits limits;
  asio::io_context io;
  tcp::socket socket{io};
  tcp::resolver resolver{io};
  boost::beast::flat_buffer buffer;

  impl(std::string h, std::uint16_t p, http_limits l) : host(std::move(h)), port(p), limits(l) {}

  [[nodiscard]] std::string where() const { return host + ":" + std::to_string(port); }

  void close() {
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    buffer.clear();
  }

  /// Runs the queued operations for at most LIMIT; false when time ran out (they are
  /// cancelled and the socket closed).
  bool run_for(std::chrono::milliseconds limit) {
    io.restart();
    io.run_for(limit);
    if (io.stopped()) return true;
    resolver.cancel();
    close();
    io.run();
    return false;
  }

  caf::error connect() {
    close();
    error_code failure;
    resolver.async_resolve(host, std::to_string(port),
                           [this, &failure](error_code ec, tcp::resolver::results_type found) {
                             if (ec) {
                               failure = ec;
                               return;
                             }
                             asio::async_connect(
                                 socket, found,
                                 [&failure](error_code ec, const tcp::endpoint&) { failure = ec; });
                           });
    if (!run_for(limits.connect_timeout))
      return caf::make_error(detector_errc::timeout,
                             "connecting to " + where() + ": no connection within " +
                                 std::to_string(limits.connect_timeout.count()) + " ms");
    if (failure) {
      close();
      return caf::make_error(detector_errc::unreachable,
                             "connecting to " + where() + ": " + failure.message());
    }
    return {};
  }

  struct exchange_result {
    error_code failure;
    bool answered_some = false;
    std::optional<http_answer> answer;
    bool keep_alive = false;
  };

  std::optional<exchange_result> exchange(const http::request<http::string_body>& req) {
    exchange_result out;
    http::response_parser<http::string_body> parser;
    parser.body_limit(limits.max_answer_bytes);
    http::async_write(socket, req, [&](error_code ec, std::size_t) {
      if (ec) {
        out.failure = ec;
        return;
      }
      http::async_read(socket, buffer, parser, [&](error_code ec2, std::size_t) {
        out.failure = ec2;
        out.answered_some = parser.got_some();
      });
    });
    if (!run_for(limits.request_timeout)) return std::nullopt;
    if (!out.failure) {
      auto res = parser.release();
      out.keep_alive = res.keep_alive();
      out.answer = http_answer{static_cast<int>(res.result_int()), std::move(res.body())};
    }
    return out;
  }
};

http_connection::http_connection(std::string host, std::uint16_t port, http_limits limits)
    : impl_(std::make_unique<impl>(std::move(host), port, limits)) {}

http_connection::~http_connection() = default;

caf::expected<http_answer> http_connection::send(
    http_method method, const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  auto& c = *impl_;
  http::request<http::string_body> req{verb_of(method), target, 11};
  req.set(http::field::host, c.where());
  req.set(http::field::user_agent, "headroom-detector");
  req.set(http::field::accept, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (method != http_method::get) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = c.socket.is_open();
    if (!reused) {
      if (auto err = c.connect()) return err;
      ++connects_;
    }
    auto result = c.exchange(req);
    if (!result)
      return caf::make_error(detector_errc::timeout,
                             "no answer from " + c.where() + " within " +
                                 std::to_string(c.limits.request_timeout.count()) + " ms");
    if (result->answer) {
      if (!result->keep_alive) c.close();
      return std::move(*result->answer);
    }
    c.close();
    if (reused && !result->answered_some && closed_before_answer(result->failure)) continue;
    return caf::make_error(detector_errc::server_error,
                           "exchange with " + c.where() + " broke: " + result->failure.message());
  }
  return caf::make_error(detector_errc::server_error,
                         "exchange with " + c.where() + " broke twice");
}

}  // namespace headroom::detector
