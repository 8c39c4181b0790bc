#pragma once
// An HTTP server on 127.0.0.1 port 0 that answers every request with an empty list and
// promises keep-alive, but closes each connection after a set number of requests: it
// shows whether a client reuses connections and recovers when one is closed under it.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <thread>

namespace headroom::test {

class keep_alive_server {
 public:
  explicit keep_alive_server(int requests_per_connection)
      : per_connection_(requests_per_connection) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~keep_alive_server() {
    io_.stop();
    thread_.join();
  }
  keep_alive_server(const keep_alive_server&) = delete;
  keep_alive_server& operator=(const keep_alive_server&) = delete;

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] int connections() const { return connections_; }
  [[nodiscard]] int requests() const { return requests_; }

 private:
  using tcp = boost::asio::ip::tcp;
  struct connection {
    explicit connection(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::http::response<boost::beast::http::string_body> response;
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      ++connections_;
      serve(std::make_shared<connection>(std::move(socket)), per_connection_);
      accept();
    });
  }

  void serve(std::shared_ptr<connection> c, int left) {
    namespace http = boost::beast::http;
    c->request = {};
    http::async_read(c->socket, c->buffer, c->request,
                     [this, c, left](boost::system::error_code ec, std::size_t) {
                       if (ec) return;
                       ++requests_;
                       c->response = {http::status::ok, 11};
                       c->response.set(http::field::content_type, "application/json");
                       c->response.body() = R"({"items":[],"next_cursor":null})";
                       c->response.keep_alive(true);
                       c->response.prepare_payload();
                       http::async_write(
                           c->socket, c->response,
                           [this, c, left](boost::system::error_code ec2, std::size_t) {
                             if (ec2) return;
                             if (left > 1) {
                               serve(c, left - 1);
                             } else {
                               boost::system::error_code ignored;
                               c->socket.shutdown(tcp::socket::shutdown_both, ignored);
                               c->socket.close(ignored);
                             }
                           });
                     });
  }

  int per_connection_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_{io_, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace headroom::test
