#pragma once
// One direction's input buffer: allocated when bytes arrive, released when it is empty
// and the connection goes idle, so that thousands of idle keep-alive connections and
// tunnels cost no buffer memory at all.

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace headroom::relay {

class byte_buffer {
 public:
  explicit byte_buffer(std::size_t capacity) : capacity_(capacity) {}

  /// Unread bytes.
  [[nodiscard]] std::string_view data() const { return {storage_.get() + begin_, end_ - begin_}; }
  [[nodiscard]] bool empty() const { return begin_ == end_; }
  [[nodiscard]] std::size_t size() const { return end_ - begin_; }

  [[nodiscard]] bool allocated() const { return storage_ != nullptr; }
  [[nodiscard]] bool full() const { return size() == capacity_; }

  /// The free space for the next read, allocating and compacting as needed.
  std::pair<char*, std::size_t> prepare() {
    if (!storage_) storage_ = std::make_unique<char[]>(capacity_);
    if (begin_ == end_) begin_ = end_ = 0;
    if (end_ == capacity_ && begin_ > 0) {
      std::memmove(storage_.get(), storage_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    return {storage_.get() + end_, capacity_ - end_};
  }
  void commit(std::size_t n) { end_ += n; }
  void consume(std::size_t n) { begin_ += n; }

  /// Frees the memory if nothing is pending.
  void release_if_empty() {
    if (begin_ == end_) {
      storage_.reset();
      begin_ = end_ = 0;
    }
  }

 private:
  std::unique_ptr<char[]> storage_;
  std::size_t capacity_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace headroom::relay
