#include "relay/io_pool.hpp"

namespace headroom::relay {

io_pool::io_pool(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) {
    // Hint 1: one thread runs it (others may still post to it).
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    work_.push_back(boost::asio::make_work_guard(*contexts_.back()));
  }
}

io_pool::~io_pool() { stop(); }

boost::asio::io_context& io_pool::next() {
  auto& io = *contexts_[turn_];
  turn_ = (turn_ + 1) % contexts_.size();
  return io;
}

void io_pool::run() {
  for (auto& io : contexts_) threads_.emplace_back([&io = *io] { io.run(); });
}

void io_pool::stop() {
  work_.clear();
  for (auto& io : contexts_) io->stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace headroom::relay
