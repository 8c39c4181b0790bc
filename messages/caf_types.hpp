#pragma once

// CAF announcements of the wire types, so actors can exchange them as typed
// messages: inspect overloads and the `headroom_messages` type-ID block. Kept out
// of types.hpp so the codec (and its fuzz target) builds without CAF.

#include <caf/meta/type_name.hpp>
#include <caf/type_id.hpp>

#include "messages/type_id_ranges.hpp"
#include "messages/types.hpp"

namespace headroom::messages {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_hello& x) {
  return f(caf::meta::type_name("node_hello"), x.node_id, x.proxy_ids, x.capacity, x.threshold,
           x.software_version, x.bus_protocol);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_heartbeat& x) {
  return f(caf::meta::type_name("node_heartbeat"), x.live_sessions, x.live_devices, x.queue_depth);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, device_seen& x) {
  return f(caf::meta::type_name("device_seen"), x.device_id, x.last_seen, x.mode, x.address);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, devices_seen& x) {
  return f(caf::meta::type_name("devices_seen"), x.proxy_id, x.devices);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_event& x) {
  return f(caf::meta::type_name("session_event"), x.device_id, x.proxy_id, x.outcome, x.at,
           x.bytes_up, x.bytes_down, x.duration_ms, x.upstream, x.instance, x.event_seq,
           x.unacked_from);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, observed_duration& x) {
  return f(caf::meta::type_name("observed_duration"), x.device_model, x.package_id, x.bytes,
           x.transfer_ms, x.at, x.instance, x.event_seq, x.unacked_from);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, overload_window& x) {
  return f(caf::meta::type_name("overload_window"), x.start, x.end, x.peak, x.threshold, x.job_ids);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, overload_report& x) {
  return f(caf::meta::type_name("overload_report"), x.proxy_id, x.generated_at, x.windows);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_move& x) {
  return f(caf::meta::type_name("job_move"), x.job_id, x.from, x.to, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unschedulable_job& x) {
  return f(caf::meta::type_name("unschedulable_job"), x.job_id, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, adjustment_plan& x) {
  return f(caf::meta::type_name("adjustment_plan"), x.plan_id, x.generated_at, x.moves,
           x.unschedulable);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, detector_status& x) {
  return f(caf::meta::type_name("detector_status"), x.detector_id, x.instance_id, x.started_at,
           x.nodes_live, x.nodes_stale);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ack& x) {
  return f(caf::meta::type_name("ack"), x.seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, events_ack& x) {
  return f(caf::meta::type_name("events_ack"), x.instance, x.through);
}

}  // namespace headroom::messages

// The wire types' block of type IDs (messages/type_id_ranges.hpp places every block).
CAF_BEGIN_TYPE_ID_BLOCK(headroom_messages, headroom::type_ids::messages)
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::node_hello))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::node_heartbeat))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::devices_seen))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::session_event))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::observed_duration))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::overload_report))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::adjustment_plan))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::detector_status))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::ack))
CAF_ADD_TYPE_ID(headroom_messages, (headroom::messages::events_ack))
CAF_END_TYPE_ID_BLOCK(headroom_messages)
