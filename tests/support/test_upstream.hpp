#pragma once
// A small HTTP/1.1 origin server on 127.0.0.1 for relay tests (Beast parses the
// requests; responses are written raw so bodies can be streamed and framed at will).
//   GET  /small          100 bytes, Content-Length
//   GET  /bytes/N        N bytes streamed in 64 KiB writes, Content-Length
//   GET  /chunked        "alpha" "beta" "gamma" as three chunks
//   GET  /close          a body delimited by closing the connection
//   GET  /bye            /small, then the connection closes without notice
//   GET  /slow/MS        waits MS milliseconds, then /small
//   POST|PUT /echo       the request body back (Content-Length or chunked request)
// HEAD works on every GET route.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace headroom::test {

class test_upstream {
 public:
  test_upstream();
  ~test_upstream();

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::uint64_t connections() const { return connections_.load(); }
  [[nodiscard]] std::uint64_t requests() const { return requests_.load(); }
  /// Connections the server closed itself (/close, /bye), FIN sent.
  [[nodiscard]] std::uint64_t closed() const { return closed_.load(); }

 private:
  /// One accepted connection, served by its own thread until it ends.
  struct connection {
    explicit connection(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void serve(boost::asio::ip::tcp::socket& socket);
  /// Joins the connections that have ended, so a long churn keeps no threads or sockets.
  void reap_finished();

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> closed_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::list<connection> live_;  ///< Guarded by mutex_.
  std::thread accept_thread_;
};

}  // namespace headroom::test
