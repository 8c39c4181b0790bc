#include "formats/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace headroom::formats {
namespace {

std::size_t page_size() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

}  // namespace

std::optional<mapped_file> mapped_file::open(const std::string& path, std::size_t padding) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::size_t page = page_size();
  const std::size_t mapped = (size + padding + page - 1) / page * page;
  // Anonymous zero pages first, the file over their front: the padding past the file's
  // last page is then readable instead of a SIGBUS.
  void* region = mmap(nullptr, mapped, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    ::close(fd);
    return std::nullopt;
  }
  if (size > 0 && mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
    munmap(region, mapped);
    ::close(fd);
    return std::nullopt;
  }
  ::close(fd);
  return mapped_file(static_cast<char*>(region), size, mapped);
}

mapped_file::mapped_file(mapped_file&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(other.size_),
      mapped_(other.mapped_),
      released_(other.released_) {}

mapped_file::~mapped_file() {
  if (base_ != nullptr) munmap(base_, mapped_);
}

void mapped_file::release_before(const char* position) {
  const auto offset = static_cast<std::size_t>(position - base_);
  const std::size_t end = offset / page_size() * page_size();
  if (end <= released_ || offset > size_) return;
  madvise(base_ + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

}  // namespace headroom::formats
