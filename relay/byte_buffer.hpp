#pragma once
// One direction's input buffer: taken from the pool when bytes arrive, given back when
// it is empty and the connection goes idle, so that thousands of idle keep-alive
// connections and tunnels cost no buffer memory at all.

#include <cstddef>
#include <cstring>
#include <string_view>
#include <utility>

#include "relay/buffer_pool.hpp"

namespace headroom::relay {

class byte_buffer {
 public:
  explicit byte_buffer(buffer_pool& pool) : pool_(pool), capacity_(pool.buffer_size()) {}
  ~byte_buffer() {
    if (storage_) pool_.release(storage_);
  }
  byte_buffer(const byte_buffer&) = delete;
  byte_buffer& operator=(const byte_buffer&) = delete;

  /// Unread bytes.
  [[nodiscard]] std::string_view data() const { return {storage_ + begin_, end_ - begin_}; }
  [[nodiscard]] bool empty() const { return begin_ == end_; }
  [[nodiscard]] std::size_t size() const { return end_ - begin_; }

  [[nodiscard]] bool allocated() const { return storage_ != nullptr; }
  [[nodiscard]] bool full() const { return size() == capacity_; }

  /// The free space for the next read, allocating and compacting as needed.
  std::pair<char*, std::size_t> prepare() {
    if (!storage_) storage_ = pool_.acquire();
    if (begin_ == end_) begin_ = end_ = 0;
    if (end_ == capacity_ && begin_ > 0) {
      std::memmove(storage_, storage_ + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    return {storage_ + end_, capacity_ - end_};
  }
  void commit(std::size_t n) { end_ += n; }
  void consume(std::size_t n) { begin_ += n; }
  void discard() { begin_ = end_; }

  /// Frees the memory if nothing is pending.
  void release_if_empty() {
    if (begin_ == end_ && storage_) {
      pool_.release(storage_);
      storage_ = nullptr;
      begin_ = end_ = 0;
    }
  }

 private:
  buffer_pool& pool_;
  char* storage_ = nullptr;
  std::size_t capacity_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace headroom::relay
