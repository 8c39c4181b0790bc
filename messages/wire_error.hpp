#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "domain/expected.hpp"

namespace headroom::messages {

/// Why a frame was refused; each kind has its own counter on the bus.
enum class wire_fault : std::uint8_t {
  oversized,            ///< Larger than the maximum frame size.
  truncated,            ///< Ends inside a msgpack value.
  malformed,            ///< Not msgpack, or beyond the unpack limits (sizes, depth).
  trailing_bytes,       ///< Bytes after the payload.
  bad_envelope,         ///< The envelope is not [type, major, minor, sender, seq].
  unknown_type,         ///< A type code this build does not know.
  unsupported_version,  ///< A newer major protocol version.
  bad_field,            ///< A payload field missing, of the wrong type or out of range.
};

inline constexpr std::size_t wire_fault_count = 8;

const char* to_string(wire_fault f);

/// A refused frame: the kind, the place (`session_event.bytes_up`,
/// `devices_seen.devices[3].mode`, `envelope.seq`, or empty) and what was wrong.
struct wire_error {
  wire_fault fault = wire_fault::malformed;
  std::string where;
  std::string what;

  /// `where: what`, or just `what` when there is no place to name.
  [[nodiscard]] std::string message() const { return where.empty() ? what : where + ": " + what; }
};

/// A decoded value or the error that refused it.
template <class T>
using wire_result = domain::expected<T, wire_error>;

/// Refused frames by fault, as exported on the bus's statistics.
using fault_counters = std::array<std::uint64_t, wire_fault_count>;

}  // namespace headroom::messages
