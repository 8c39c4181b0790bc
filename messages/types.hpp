#pragma once

// The bus's wire types: one struct per message, carried in an envelope
// (messages/codec.hpp). Ids are strings and times int64 UTC seconds, so that a
// peer needs no knowledge of another's indexes or clocks.
//
// Fields go on the wire as a map keyed by the field names in messages/schema.hpp.
// A field is only ever appended, never renamed, retyped or reused; a field added
// in a later minor version is decoded as optional. docs/bus.md is the reference.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "domain/monitoring_mode.hpp"
#include "domain/time.hpp"

namespace headroom::messages {

/// The bus protocol version. A peer refuses frames of a newer major version and
/// accepts newer minor versions, ignoring fields it does not know.
inline constexpr std::uint16_t protocol_major = 1;
inline constexpr std::uint16_t protocol_minor = 1;

/// A proxy node announces itself (on connect and whenever the detector restarts).
struct node_hello {
  std::string node_id;
  std::vector<std::string> proxy_ids;  ///< The proxies this node relays for.
  std::int32_t capacity = 0;           ///< Concurrent device sessions it can relay.
  std::int32_t threshold = 0;          ///< Load above which a window is overloaded.
  std::string software_version;
  std::uint32_t bus_protocol = protocol_major;
  friend bool operator==(const node_hello&, const node_hello&) = default;
};

/// A node's periodic sign of life with its current load.
struct node_heartbeat {
  std::int32_t live_sessions = 0;
  std::int32_t live_devices = 0;
  std::int32_t queue_depth = 0;  ///< Sessions waiting for a free slot.
  friend bool operator==(const node_heartbeat&, const node_heartbeat&) = default;
};

struct device_seen {
  std::string device_id;
  domain::instant last_seen = 0;
  domain::monitoring_mode mode = domain::monitoring_mode::proxy;
  std::string address;  ///< The device's address as the relay saw it.
  friend bool operator==(const device_seen&, const device_seen&) = default;
};

/// The devices a node relays for one of its proxies (claim 1: "communicate through the proxy").
struct devices_seen {
  std::string proxy_id;
  std::vector<device_seen> devices;
  friend bool operator==(const devices_seen&, const devices_seen&) = default;
};

enum class session_outcome : std::uint8_t { opened, closed, refused };

/// One relay session's event; closed sessions carry their totals.
struct session_event {
  std::string device_id;
  std::string proxy_id;
  session_outcome outcome = session_outcome::opened;
  domain::instant at = 0;
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
  std::int64_t duration_ms = 0;
  std::string upstream;  ///< host:port the session was relayed to.
  // 1.1: where the event stands in its node's at-least-once stream (see event_origin).
  std::string instance;            ///< The node instance that stamped it; empty: not acked.
  std::uint64_t event_seq = 0;     ///< Per instance, from 1, no gaps.
  std::uint64_t unacked_from = 0;  ///< The instance's oldest event not yet acked when sent.
  friend bool operator==(const session_event&, const session_event&) = default;
};

/// A measured transfer time of one package to one device model, which refines
/// the duration estimates of the next prediction.
struct observed_duration {
  std::string device_model;
  std::string package_id;
  std::uint64_t bytes = 0;
  std::int64_t transfer_ms = 0;
  domain::instant at = 0;
  // 1.1: as in session_event.
  std::string instance;
  std::uint64_t event_seq = 0;
  std::uint64_t unacked_from = 0;
  friend bool operator==(const observed_duration&, const observed_duration&) = default;
};

/// domain::overload_window on the wire: [start, end) with its peak and jobs.
struct overload_window {
  domain::instant start = 0;
  domain::instant end = 0;
  std::int32_t peak = 0;
  std::int32_t threshold = 0;
  std::vector<std::string> job_ids;
  friend bool operator==(const overload_window&, const overload_window&) = default;
};

/// The overloaded windows of one proxy (claims 1, 4).
struct overload_report {
  std::string proxy_id;
  domain::instant generated_at = 0;
  std::vector<overload_window> windows;
  friend bool operator==(const overload_report&, const overload_report&) = default;
};

/// domain::adjustment on the wire.
struct job_move {
  std::string job_id;
  domain::instant from = 0;
  domain::instant to = 0;
  std::string reason;
  friend bool operator==(const job_move&, const job_move&) = default;
};

/// domain::unschedulable_job on the wire.
struct unschedulable_job {
  std::string job_id;
  std::string reason;
  friend bool operator==(const unschedulable_job&, const unschedulable_job&) = default;
};

/// A new schedule for the jobs that caused overloads (claim 7).
struct adjustment_plan {
  std::string plan_id;
  domain::instant generated_at = 0;
  std::vector<job_move> moves;
  std::vector<unschedulable_job> unschedulable;
  friend bool operator==(const adjustment_plan&, const adjustment_plan&) = default;
};

/// The detector's periodic broadcast; doubles as its heartbeat. A new
/// `instance_id` tells nodes the detector restarted and they must re-announce.
struct detector_status {
  std::string detector_id;
  std::string instance_id;
  domain::instant started_at = 0;
  std::int32_t nodes_live = 0;
  std::int32_t nodes_stale = 0;
  friend bool operator==(const detector_status&, const detector_status&) = default;
};

/// Acknowledges the frame with sequence number `seq` from the receiver's peer.
struct ack {
  std::uint64_t seq = 0;
  friend bool operator==(const ack&, const ack&) = default;
};

/// 1.1: the detector has taken every event of node instance `instance` up to and
/// including `through` (cumulative); the node may forget them.
struct events_ack {
  std::string instance;
  std::uint64_t through = 0;
  friend bool operator==(const events_ack&, const events_ack&) = default;
};

/// Every message; the alternative's index + 1 is its type code on the wire.
using payload =
    std::variant<node_hello, node_heartbeat, devices_seen, session_event, observed_duration,
                 overload_report, adjustment_plan, detector_status, ack, events_ack>;

/// The type code of an envelope (next free code: 11). Codes are never reused.
enum class message_type : std::uint8_t {
  node_hello = 1,
  node_heartbeat = 2,
  devices_seen = 3,
  session_event = 4,
  observed_duration = 5,
  overload_report = 6,
  adjustment_plan = 7,
  detector_status = 8,
  ack = 9,
  events_ack = 10,
};

inline constexpr std::uint8_t message_type_count = std::variant_size_v<payload>;

/// The type code of a payload alternative.
template <class T>
constexpr message_type type_of() {
  return static_cast<message_type>([&]<std::size_t... I>(std::index_sequence<I...>) {
    std::size_t found = 0;
    ((std::is_same_v<T, std::variant_alternative_t<I, payload>> ? (found = I + 1) : 0), ...);
    return found;
  }(std::make_index_sequence<std::variant_size_v<payload>>{}));
}

inline message_type type_of(const payload& p) { return static_cast<message_type>(p.index() + 1); }

/// The snake_case name of a type code ("node_hello"), or "unknown".
const char* to_string(message_type t);
const char* to_string(session_outcome o);

}  // namespace headroom::messages
