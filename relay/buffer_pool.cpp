#include "relay/buffer_pool.hpp"

#include <sys/mman.h>

#include <new>

namespace headroom::relay {

buffer_pool::buffer_pool(std::size_t buffer_size, std::size_t max_free)
    : size_(buffer_size), max_free_(max_free) {
  free_.reserve(max_free);
}

buffer_pool::~buffer_pool() {
  for (char* b : free_) ::munmap(b, size_);
}

char* buffer_pool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
      char* b = free_.back();
      free_.pop_back();
      return b;
    }
  }
  void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return static_cast<char*>(p);
}

void buffer_pool::release(char* buffer) {
  {
    std::lock_guard lock(mutex_);
    if (free_.size() < max_free_) {
      free_.push_back(buffer);
      return;
    }
  }
  ::munmap(buffer, size_);
}

}  // namespace headroom::relay
