#include "tests/support/test_upstream.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <string>

namespace headroom::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

test_upstream::test_upstream()
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) break;
      connections_++;
      reap_finished();
      std::lock_guard lock(mutex_);
      auto& c = live_.emplace_back(io_);
      c.socket = std::move(socket);
      c.thread = std::thread([this, &c] {
        serve(c.socket);
        boost::system::error_code ignored;
        c.socket.close(ignored);
        c.done = true;
      });
    }
  });
}

void test_upstream::reap_finished() {
  std::lock_guard lock(mutex_);
  for (auto it = live_.begin(); it != live_.end();) {
    if (!it->done) {
      ++it;
      continue;
    }
    it->thread.join();
    it = live_.erase(it);
  }
}

test_upstream::~test_upstream() {
  stopping_ = true;
  boost::system::error_code ignored;
  // Wake the accept() with a connection of our own, then close everything.
  {
    tcp::socket poke(io_);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ignored);
  }
  accept_thread_.join();
  acceptor_.close(ignored);
  std::lock_guard lock(mutex_);
  for (auto& c : live_) c.socket.shutdown(tcp::socket::shutdown_both, ignored);
  for (auto& c : live_) c.thread.join();
}

void test_upstream::serve(tcp::socket& socket) {
  boost::beast::flat_buffer buffer;
  boost::system::error_code ec;
  while (!stopping_) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(socket, buffer, parser, ec);
    if (ec) return;
    const auto& req = parser.get();
    requests_++;
    std::string target(req.target());
    bool head = req.method() == http::verb::head;
    auto send = [&](const std::string& text) { asio::write(socket, asio::buffer(text), ec); };
    auto respond = [&](const std::string& body) {
      send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           (head ? "" : body));
    };
    if (target == "/small") {
      respond(std::string(100, 'x'));
    } else if (target.rfind("/bytes/", 0) == 0) {
      std::uint64_t n = std::stoull(target.substr(7));
      send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n");
      std::string chunk(64 * 1024, 'f');
      for (std::uint64_t sent = 0; !head && !ec && sent < n; sent += chunk.size())
        asio::write(socket,
                    asio::buffer(chunk.data(), std::min<std::uint64_t>(chunk.size(), n - sent)),
                    ec);
    } else if (target == "/chunked") {
      send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      if (!head) send("5\r\nalpha\r\n4;x=y\r\nbeta\r\n5\r\ngamma\r\n0\r\n\r\n");
    } else if (target == "/close") {
      send("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
      if (!head) send("until the end");
      socket.shutdown(tcp::socket::shutdown_both, ec);
      closed_++;
      return;
    } else if (target == "/bye") {
      respond(std::string(
          100, 'x'));  // kept alive by its headers, then closed: an idle upstream timeout
      socket.shutdown(tcp::socket::shutdown_both, ec);
      closed_++;
      return;
    } else if (target.rfind("/slow/", 0) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(target.substr(6))));
      respond(std::string(100, 'x'));
    } else if (target == "/echo") {
      respond(req.body());
    } else {
      send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
    if (ec || !req.keep_alive()) return;
  }
}

}  // namespace headroom::test
