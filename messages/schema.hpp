#pragma once

// The field names of every wire type, in wire order. One visitor walks these
// lists to encode (messages/codec.cpp) and another to decode, so a name cannot
// differ between the two. Every field of protocol 1.0 is required; a field added
// later is passed with `optional_field` (a 1.0 peer does not send it). Append new
// fields at the end of a list; never rename, retype or reuse a name.

#include "messages/types.hpp"

namespace headroom::messages {

/// Marks a field added after 1.0: written always, defaulted when a frame lacks it.
struct optional_field_t {};
inline constexpr optional_field_t optional_field{};

template <class F>
void fields(F& f, node_hello& x) {
  f("node_id", x.node_id);
  f("proxy_ids", x.proxy_ids);
  f("capacity", x.capacity);
  f("threshold", x.threshold);
  f("software_version", x.software_version);
  f("bus_protocol", x.bus_protocol);
}

template <class F>
void fields(F& f, node_heartbeat& x) {
  f("live_sessions", x.live_sessions);
  f("live_devices", x.live_devices);
  f("queue_depth", x.queue_depth);
}

template <class F>
void fields(F& f, device_seen& x) {
  f("device_id", x.device_id);
  f("last_seen", x.last_seen);
  f("mode", x.mode);
  f("address", x.address);
}

template <class F>
void fields(F& f, devices_seen& x) {
  f("proxy_id", x.proxy_id);
  f("devices", x.devices);
}

template <class F>
void fields(F& f, session_event& x) {
  f("device_id", x.device_id);
  f("proxy_id", x.proxy_id);
  f("outcome", x.outcome);
  f("at", x.at);
  f("bytes_up", x.bytes_up);
  f("bytes_down", x.bytes_down);
  f("duration_ms", x.duration_ms);
  f("upstream", x.upstream);
  f("instance", x.instance, optional_field);
  f("event_seq", x.event_seq, optional_field);
  f("unacked_from", x.unacked_from, optional_field);
}

template <class F>
void fields(F& f, observed_duration& x) {
  f("device_model", x.device_model);
  f("package_id", x.package_id);
  f("bytes", x.bytes);
  f("transfer_ms", x.transfer_ms);
  f("at", x.at);
  f("instance", x.instance, optional_field);
  f("event_seq", x.event_seq, optional_field);
  f("unacked_from", x.unacked_from, optional_field);
}

template <class F>
void fields(F& f, overload_window& x) {
  f("start", x.start);
  f("end", x.end);
  f("peak", x.peak);
  f("threshold", x.threshold);
  f("job_ids", x.job_ids);
}

template <class F>
void fields(F& f, overload_report& x) {
  f("proxy_id", x.proxy_id);
  f("generated_at", x.generated_at);
  f("windows", x.windows);
}

template <class F>
void fields(F& f, job_move& x) {
  f("job_id", x.job_id);
  f("from", x.from);
  f("to", x.to);
  f("reason", x.reason);
}

template <class F>
void fields(F& f, unschedulable_job& x) {
  f("job_id", x.job_id);
  f("reason", x.reason);
}

template <class F>
void fields(F& f, adjustment_plan& x) {
  f("plan_id", x.plan_id);
  f("generated_at", x.generated_at);
  f("moves", x.moves);
  f("unschedulable", x.unschedulable);
}

template <class F>
void fields(F& f, detector_status& x) {
  f("detector_id", x.detector_id);
  f("instance_id", x.instance_id);
  f("started_at", x.started_at);
  f("nodes_live", x.nodes_live);
  f("nodes_stale", x.nodes_stale);
}

template <class F>
void fields(F& f, ack& x) {
  f("seq", x.seq);
}

template <class F>
void fields(F& f, events_ack& x) {
  f("instance", x.instance);
  f("through", x.through);
}

}  // namespace headroom::messages
