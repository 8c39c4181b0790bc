#include "bus/delivery_policy.hpp"

namespace headroom::bus {

at_high_water policy_for(messages::message_type type) {
  using messages::message_type;
  switch (type) {
    // The next heartbeat or status replaces a lost one; a session event stream
    // under overload is shed rather than stalling the relay that produces it.
    case message_type::node_heartbeat:
    case message_type::detector_status:
    case message_type::session_event:
    case message_type::observed_duration:
      return at_high_water::drop;
    // Registration, device lists, detections, plans and acks carry state the
    // peer cannot rebuild from the next message.
    case message_type::node_hello:
    case message_type::devices_seen:
    case message_type::overload_report:
    case message_type::adjustment_plan:
    case message_type::ack:
      return at_high_water::retain;
    // Cumulative: the next one, or the ack of a resend, covers a lost one; retained, the
    // acks of a peer that never reads would hold up every other peer's at the ROUTER.
    case message_type::events_ack:
      return at_high_water::drop;
  }
  return at_high_water::retain;
}

}  // namespace headroom::bus
