#pragma once

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "bus/socket_worker.hpp"
#include "messages/wire_error.hpp"

namespace headroom::bus {

/// What a bridge counted since it started; answered to `atom::get`.
struct bridge_stats {
  std::uint64_t frames_in = 0;         ///< Frames decoded and handed on.
  std::uint64_t frames_out = 0;        ///< Frames encoded and posted to a socket worker.
  messages::fault_counters refused{};  ///< Frames refused, by wire_fault.
  std::uint64_t refused_total = 0;
  std::uint64_t unexpected = 0;     ///< Well-formed frames of a type this side does not take.
  std::uint64_t unregistered = 0;   ///< Hub: frames from a peer that has not said hello.
  std::uint64_t auth_refused = 0;   ///< Hub: CurveZMQ handshakes with a key not on the allowlist.
  std::uint64_t dropped = 0;        ///< Frames dropped by the high-water policy (queue or socket).
  type_counters dropped_by_type{};  ///< The same by message type (index: type code).
  std::uint64_t send_failed = 0;    ///< Frames for a peer that had gone.
  std::int32_t peers_live = 0;      ///< Hub: nodes live; node: 1 while the hub is live.
  std::int32_t peers_stale = 0;
  std::uint64_t announcements = 0;  ///< Node: hellos sent (1 + re-announcements).
  std::string last_refusal;         ///< The latest refused frame: peer, fault, field and reason.
  // At-least-once events (session events, transfer times) from nodes:
  std::uint64_t spooled = 0;        ///< Node: events kept until the detector acks them.
  std::uint64_t spool_dropped = 0;  ///< Node: oldest kept events dropped for the spool's bound.
  std::uint64_t resent = 0;         ///< Node: events sent again (no ack in time, new detector).
  std::uint64_t duplicates = 0;     ///< Hub: events taken before, acked again and not handed on.
  std::uint64_t out_of_order = 0;   ///< Hub: events after a gap, left for the node to resend.
  std::uint64_t lost = 0;           ///< Hub: events the node dropped before they were taken.

  /// Adds the socket workers' drop and failure counts.
  void add(const worker_counters& w) {
    dropped += w.dropped_at_socket_hwm + w.dropped_queue_full;
    for (std::size_t i = 0; i < dropped_by_type.size(); ++i)
      dropped_by_type[i] += w.dropped_by_type[i];
    send_failed += w.send_failed;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bridge_stats& x) {
  return f(caf::meta::type_name("bridge_stats"), x.frames_in, x.frames_out, x.refused,
           x.refused_total, x.unexpected, x.unregistered, x.auth_refused, x.dropped,
           x.dropped_by_type, x.send_failed, x.peers_live, x.peers_stale, x.announcements,
           x.last_refusal, x.spooled, x.spool_dropped, x.resent, x.duplicates, x.out_of_order,
           x.lost);
}

/// Frames a socket worker received in one go, for its bridge (one actor message per batch).
struct frame_batch {
  std::vector<std::string> routing_ids;  ///< ROUTER: the sender of each frame; empty otherwise.
  std::vector<std::string> frames;  ///< A multipart message that is not one frame arrives empty.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, frame_batch& x) {
  return f(caf::meta::type_name("frame_batch"), x.routing_ids, x.frames);
}

}  // namespace headroom::bus
