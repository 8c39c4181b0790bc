#pragma once
// A file mapped read-only, with zeroed padding after its end for parsers that read past it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace headroom::formats {

/// A regular file mapped into memory, followed by at least `padding` readable zero bytes.
/// Pages already parsed can be released: they leave the process's resident memory and are
/// read from the file again if touched (an error message's line count, say), so a
/// parser walking a large file front to back holds only the part it has not read yet.
class mapped_file {
 public:
  /// Maps `path`; nothing when it is not a regular file or cannot be mapped (a pipe, say),
  /// in which case the caller reads it the ordinary way.
  static std::optional<mapped_file> open(const std::string& path, std::size_t padding);

  mapped_file(mapped_file&& other) noexcept;
  mapped_file& operator=(mapped_file&&) = delete;
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  ~mapped_file();

  [[nodiscard]] std::string_view text() const { return {base_, size_}; }
  /// Bytes readable from text().data(): the file and its padding.
  [[nodiscard]] std::size_t capacity() const { return mapped_; }

  /// Gives back the whole pages before `position` (a pointer into text()).
  void release_before(const char* position);

 private:
  mapped_file(char* base, std::size_t size, std::size_t mapped)
      : base_(base), size_(size), mapped_(mapped) {}

  char* base_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapped_ = 0;
  std::size_t released_ = 0;
};

}  // namespace headroom::formats
