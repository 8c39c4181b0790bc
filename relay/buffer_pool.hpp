#pragma once
// The relay's byte buffers, all of one size, mapped straight from the kernel and kept
// in a bounded free list: busy periods reuse them without malloc, and memory beyond the
// free list goes back to the system at once instead of staying in the heap after a peak.

#include <cstddef>
#include <mutex>
#include <vector>

namespace headroom::relay {

class buffer_pool {
 public:
  /// `max_free` buffers are kept for reuse; more are unmapped when released.
  buffer_pool(std::size_t buffer_size, std::size_t max_free);
  ~buffer_pool();
  buffer_pool(const buffer_pool&) = delete;
  buffer_pool& operator=(const buffer_pool&) = delete;

  [[nodiscard]] std::size_t buffer_size() const { return size_; }

  /// A buffer of buffer_size() bytes; throws std::bad_alloc when the system has none.
  char* acquire();
  void release(char* buffer);

 private:
  std::size_t size_;
  std::size_t max_free_;
  std::mutex mutex_;
  std::vector<char*> free_;
};

}  // namespace headroom::relay
