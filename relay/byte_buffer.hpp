#pragma once
// One direction's input buffer. Bytes first land in a small area inside the buffer
// itself, which holds a whole small request or response: those never touch the pool. A
// read that fills it means a stream, and the bytes move to a pool buffer, which is
// given back once it is empty and the connection waits again, so that thousands of idle
// keep-alive connections and tunnels hold no pool memory at all.

#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <utility>

#include "relay/buffer_pool.hpp"

namespace headroom::relay {

class byte_buffer {
 public:
  explicit byte_buffer(buffer_pool& pool) : pool_(pool) {}
  ~byte_buffer() {
    if (pooled()) pool_.release(storage_);
  }
  byte_buffer(const byte_buffer&) = delete;
  byte_buffer& operator=(const byte_buffer&) = delete;

  /// Unread bytes.
  [[nodiscard]] std::string_view data() const { return {storage_ + begin_, end_ - begin_}; }
  [[nodiscard]] bool empty() const { return begin_ == end_; }
  [[nodiscard]] std::size_t size() const { return end_ - begin_; }

  /// Holds a pool buffer: a stream is passing through.
  [[nodiscard]] bool pooled() const { return storage_ != landing_.data(); }
  [[nodiscard]] bool full() const { return size() == pool_.buffer_size(); }

  /// The free space for the next read, compacting as needed.
  std::pair<char*, std::size_t> prepare() {
    if (begin_ == end_) begin_ = end_ = 0;
    if (end_ == capacity_ && begin_ > 0) {
      std::memmove(storage_, storage_ + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    return {storage_ + end_, capacity_ - end_};
  }
  void commit(std::size_t n) {
    end_ += n;
    if (end_ == capacity_ && !pooled()) move_to_pool();
  }
  void consume(std::size_t n) { begin_ += n; }
  void discard() { begin_ = end_; }

  /// Gives the pool buffer back if nothing is pending.
  void release_if_empty() {
    if (begin_ != end_ || !pooled()) return;
    pool_.release(storage_);
    storage_ = landing_.data();
    capacity_ = landing_.size();
    begin_ = end_ = 0;
  }

 private:
  void move_to_pool() {
    char* pooled = pool_.acquire();
    std::memcpy(pooled, storage_ + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    storage_ = pooled;
    capacity_ = pool_.buffer_size();
  }

  buffer_pool& pool_;
  // Pool buffers are at least 1 KiB, so a full landing always fits in one.
  std::array<char, 512> landing_{};
  char* storage_ = landing_.data();
  std::size_t capacity_ = landing_.size();
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace headroom::relay
