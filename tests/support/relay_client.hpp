#pragma once
// A device for relay tests: a blocking client on 127.0.0.1 that writes raw request
// bytes and reads responses with Beast (or raw). Reads time out after 10 s, so a
// broken relay fails a test instead of hanging it.

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <string>

namespace headroom::test {

class relay_client {
 public:
  using response = boost::beast::http::response<boost::beast::http::string_body>;

  explicit relay_client(std::uint16_t port, int timeout_seconds = 10) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval tv{timeout_seconds, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  void send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }

  /// Sends `GET http://127.0.0.1:PORT/PATH` with optional extra header lines.
  void get(std::uint16_t upstream, const std::string& path, const std::string& extra = "") {
    send("GET http://127.0.0.1:" + std::to_string(upstream) + path +
         " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(upstream) + "\r\n" + extra + "\r\n");
  }

  /// Reads one response; `ec` is set (and the response empty) when none came.
  response read(boost::system::error_code& ec, bool to_head = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    parser.skip(to_head);
    boost::beast::http::read(socket_, buffer_, parser, ec);
    return parser.release();
  }

  response read(bool to_head = false) {
    boost::system::error_code ec;
    auto r = read(ec, to_head);
    if (ec) throw boost::system::system_error(ec, "reading a response through the relay");
    return r;
  }

  /// Everything until the relay closes the connection.
  std::string read_all() {
    std::string out(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.clear();
    char chunk[4096];
    boost::system::error_code ec;
    while (true) {
      auto n = socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) break;
      out.append(chunk, n);
    }
    return out;
  }

  /// True if the relay closed the connection (reads EOF within the timeout).
  bool closed_by_peer() {
    char c;
    boost::system::error_code ec;
    socket_.read_some(boost::asio::buffer(&c, 1), ec);
    return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }

  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace headroom::test
