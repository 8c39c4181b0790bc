#pragma once

// Frames on the bus: the envelope [type, major, minor, sender, seq] as a msgpack
// array, immediately followed by the payload as a msgpack map, in one ZeroMQ
// frame. docs/bus.md specifies the bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "messages/types.hpp"
#include "messages/wire_error.hpp"

namespace headroom::messages {

struct envelope {
  message_type type = message_type::ack;
  std::uint16_t major = protocol_major;
  std::uint16_t minor = protocol_minor;
  std::string sender;     ///< The node or detector id of the peer that sent the frame.
  std::uint64_t seq = 0;  ///< Per sender, increasing; what an ack refers to.
  friend bool operator==(const envelope&, const envelope&) = default;
};

struct frame {
  envelope env;
  messages::payload body;
};

/// Bounds for decoding untrusted bytes. No length read from a frame is trusted
/// beyond these, so a hostile 5-byte header cannot make the decoder allocate.
struct decode_limits {
  std::size_t max_frame_bytes = 1 << 20;  ///< 1 MiB: ~10,000 devices in one devices_seen.
  std::size_t max_array_items = 100'000;
  std::size_t max_map_pairs = 64;       ///< Payload maps have a few named fields.
  std::size_t max_string_bytes = 4096;  ///< Ids, addresses, reasons.
  std::size_t max_depth = 8;            ///< Envelope/payload nest 4 deep today.
};

/// Appends the frame's bytes to `out` (cleared first).
void encode(const envelope& env, const payload& body, std::string& out);

/// The frame's bytes, with the envelope's type taken from `body`.
std::string encode(std::string_view sender, std::uint64_t seq, const payload& body);

/// Decodes one frame; every failure is a wire_error naming the field, never an
/// exception or a crash.
wire_result<frame> decode(std::string_view bytes, const decode_limits& limits = {});

}  // namespace headroom::messages
