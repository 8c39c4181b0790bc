#include "messages/names.hpp"

#include "messages/wire_error.hpp"

namespace headroom::messages {

const char* to_string(message_type t) {
  switch (t) {
    case message_type::node_hello:
      return "node_hello";
    case message_type::node_heartbeat:
      return "node_heartbeat";
    case message_type::devices_seen:
      return "devices_seen";
    case message_type::session_event:
      return "session_event";
    case message_type::observed_duration:
      return "observed_duration";
    case message_type::overload_report:
      return "overload_report";
    case message_type::adjustment_plan:
      return "adjustment_plan";
    case message_type::detector_status:
      return "detector_status";
    case message_type::ack:
      return "ack";
    case message_type::events_ack:
      return "events_ack";
  }
  return "unknown";
}

const char* to_string(session_outcome o) {
  switch (o) {
    case session_outcome::opened:
      return "opened";
    case session_outcome::closed:
      return "closed";
    case session_outcome::refused:
      return "refused";
  }
  return "unknown";
}

const char* to_string(wire_fault f) {
  switch (f) {
    case wire_fault::oversized:
      return "oversized";
    case wire_fault::truncated:
      return "truncated";
    case wire_fault::malformed:
      return "malformed";
    case wire_fault::trailing_bytes:
      return "trailing_bytes";
    case wire_fault::bad_envelope:
      return "bad_envelope";
    case wire_fault::unknown_type:
      return "unknown_type";
    case wire_fault::unsupported_version:
      return "unsupported_version";
    case wire_fault::bad_field:
      return "bad_field";
  }
  return "unknown";
}

std::optional<session_outcome> parse_session_outcome(std::string_view text) {
  if (text == "opened") return session_outcome::opened;
  if (text == "closed") return session_outcome::closed;
  if (text == "refused") return session_outcome::refused;
  return std::nullopt;
}

}  // namespace headroom::messages
