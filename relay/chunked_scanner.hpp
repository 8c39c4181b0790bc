#pragma once
// Follows a chunked body as it streams through, byte for byte, without buffering it:
// the relay forwards the bytes unchanged and needs only to know where the body ends
// and that its framing is sound (sizes that overflow, bare LF, oversized extensions
// or trailers are refused).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "relay/http_error.hpp"

namespace headroom::relay {

class chunked_scanner {
 public:
  /// Consumes bytes of the body. Returns how many belong to it (fewer than given when the
  /// body ends inside `data`: the rest is the next message), or an error.
  http_result<std::size_t> consume(std::string_view data);

  /// True once the last chunk and the trailers have been read.
  [[nodiscard]] bool done() const { return state_ == state::done; }

 private:
  enum class state {
    size,
    extension,
    size_lf,
    data,
    data_cr,
    data_lf,
    trailer_start,
    trailer,
    trailer_lf,
    final_lf,
    done
  };

  static constexpr std::size_t max_line = 4096;  ///< Chunk extension or trailer line.
  static constexpr std::uint64_t max_chunk = std::uint64_t{1} << 60;

  state state_ = state::size;
  std::uint64_t remaining_ = 0;
  std::size_t size_digits_ = 0;
  std::size_t line_ = 0;
};

}  // namespace headroom::relay
