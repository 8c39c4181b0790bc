#pragma once
// The relay's Asio threads: one io_context per thread, each connection on one of them
// for its whole life. A connection's handlers then never run concurrently without a
// strand, and no thread wakes another to hand over a ready socket: with one shared
// io_context the two threads took turns in epoll and interrupted each other's wait.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace headroom::relay {

class io_pool {
 public:
  explicit io_pool(std::size_t threads);
  ~io_pool();
  io_pool(const io_pool&) = delete;
  io_pool& operator=(const io_pool&) = delete;

  /// The first io_context: for the acceptor and the admin endpoint.
  boost::asio::io_context& first() { return *contexts_.front(); }
  /// The io_context for the next connection, in turn (call from one thread at a time).
  boost::asio::io_context& next();

  /// Starts one thread per io_context.
  void run();
  /// Lets every io_context end and joins the threads; idempotent.
  void stop();

 private:
  using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<work_guard> work_;
  std::vector<std::thread> threads_;
  std::size_t turn_ = 0;
};

}  // namespace headroom::relay
