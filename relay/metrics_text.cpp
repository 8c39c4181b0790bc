#include "relay/metrics_text.hpp"

#include <nlohmann/json.hpp>

#include "common/prometheus_text.hpp"

namespace headroom::relay {

std::string render_metrics(const relay::relay_status& s, const relay_traffic& traffic) {
  common::prometheus_text out;
  const common::label proxy{"proxy", s.proxy_id};
  const auto gauge = [&](const char* name, const char* help, auto value) {
    out.family(name, "gauge", help);
    out.sample(name, {proxy}, value);
  };
  const auto counter = [&](const char* name, const char* help, auto value) {
    out.family(name, "counter", help);
    out.sample(name, {proxy}, value);
  };
  gauge("headroom_relay_active_devices", "Distinct devices relayed now.", s.active_devices);
  gauge("headroom_relay_active_connections", "Admitted device connections open now.",
        s.active_connections);
  gauge("headroom_relay_open_connections", "Device connections open now, admitted or not.",
        traffic.open_connections.load());
  gauge("headroom_relay_queued", "Connections waiting for admission now.", s.queued);
  gauge("headroom_relay_capacity", "Distinct devices the node relays at most.", s.capacity);
  gauge("headroom_relay_threshold", "Load above which the node counts as overloaded.", s.threshold);
  counter("headroom_relay_admitted_total", "Connections admitted.", s.admitted_total);
  counter("headroom_relay_queued_total", "Connections that had to wait for admission.",
          s.queued_total);
  out.family("headroom_relay_refused_total", "counter",
             "Connections and requests refused, by reason.");
  for (std::size_t i = 0; i < relay::refusal_reason_count; ++i)
    out.sample("headroom_relay_refused_total",
               {proxy, {"reason", relay::to_label(static_cast<relay::refusal_reason>(i))}},
               i < s.refused_total.size() ? s.refused_total[i] : 0);
  counter("headroom_relay_connections_total", "Device connections accepted.",
          traffic.connections_total.load());
  counter("headroom_relay_connections_shed_total",
          "Device connections closed at accept because max_connections were open.",
          traffic.connections_shed.load());
  counter("headroom_relay_devices_seen_total", "Distinct devices relayed since start.",
          s.devices_seen);
  out.family("headroom_relay_bytes_total", "counter", "Bytes relayed, live.");
  out.sample("headroom_relay_bytes_total", {proxy, {"direction", "from_devices"}},
             traffic.bytes_from_devices.load());
  out.sample("headroom_relay_bytes_total", {proxy, {"direction", "to_devices"}},
             traffic.bytes_to_devices.load());
  out.family("headroom_relay_session_duration_seconds", "histogram", "Duration of ended sessions.");
  out.histogram("headroom_relay_session_duration_seconds", {proxy}, relay::session_duration_buckets,
                s.duration_buckets, s.duration_buckets.empty() ? 0 : s.duration_buckets.back(),
                s.duration_sum_seconds);
  if (s.detector.state != "standalone") {
    gauge("headroom_relay_detector_connected",
          "1 while the detector has registered this node and is heard from.",
          s.detector.state == "connected" ? 1 : 0);
    gauge("headroom_relay_bus_held",
          "Session events and transfer times kept until the detector acks them (the spool).",
          s.detector.held);
    out.family("headroom_relay_bus_dropped_total", "counter",
               "Events dropped for the detector: oldest kept ones past the spool's bound, and "
               "frames at the bus's marks (sent again from the spool).");
    out.sample("headroom_relay_bus_dropped_total", {proxy, {"where", "held"}}, s.detector.dropped);
    out.sample("headroom_relay_bus_dropped_total", {proxy, {"where", "bus"}},
               s.detector.bus_dropped);
  }
  return out.text();
}

std::string render_status_json(const relay::relay_status& s, const relay_traffic& traffic) {
  nlohmann::json refused = nlohmann::json::object();
  for (std::size_t i = 0; i < relay::refusal_reason_count; ++i)
    refused[relay::to_label(static_cast<relay::refusal_reason>(i))] =
        i < s.refused_total.size() ? s.refused_total[i] : 0;
  nlohmann::json devices = nlohmann::json::array();
  for (const auto& d : s.devices)
    devices.push_back({{"device", d.device_id}, {"connections", d.connections}});
  nlohmann::json out{
      {"proxy_id", s.proxy_id},
      {"capacity", s.capacity},
      {"threshold", s.threshold},
      {"active_devices", s.active_devices},
      {"active_connections", s.active_connections},
      {"open_connections", traffic.open_connections.load()},
      {"queued", s.queued},
      {"admitted_total", s.admitted_total},
      {"queued_total", s.queued_total},
      {"sessions_total", s.sessions_total},
      {"devices_seen", s.devices_seen},
      {"refused_total", refused},
      {"bytes_from_devices", traffic.bytes_from_devices.load()},
      {"bytes_to_devices", traffic.bytes_to_devices.load()},
      {"devices", devices},
      {"detector",
       {{"state", s.detector.state},
        {"endpoint", s.detector.endpoint},
        {"instance_id", s.detector.instance_id},
        {"announcements", s.detector.announcements},
        {"held", s.detector.held},
        {"dropped", s.detector.dropped},
        {"bus_dropped", s.detector.bus_dropped}}},
  };
  return out.dump(2) + "\n";
}

}  // namespace headroom::relay
