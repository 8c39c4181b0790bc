#include "relay/metrics_text.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace headroom::relay {
namespace {

void family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

template <class T>
void sample(std::ostringstream& out, const char* name, const std::string& labels, T value) {
  out << name << '{' << labels << "} " << value << '\n';
}

}  // namespace

std::string render_metrics(const relay::relay_status& s, const relay_traffic& traffic) {
  std::ostringstream out;
  const std::string proxy = "proxy=\"" + s.proxy_id + "\"";
  family(out, "headroom_relay_active_devices", "gauge", "Distinct devices relayed now.");
  sample(out, "headroom_relay_active_devices", proxy, s.active_devices);
  family(out, "headroom_relay_active_connections", "gauge",
         "Admitted device connections open now.");
  sample(out, "headroom_relay_active_connections", proxy, s.active_connections);
  family(out, "headroom_relay_open_connections", "gauge",
         "Device connections open now, admitted or not.");
  sample(out, "headroom_relay_open_connections", proxy, traffic.open_connections.load());
  family(out, "headroom_relay_queued", "gauge", "Connections waiting for admission now.");
  sample(out, "headroom_relay_queued", proxy, s.queued);
  family(out, "headroom_relay_capacity", "gauge", "Distinct devices the node relays at most.");
  sample(out, "headroom_relay_capacity", proxy, s.capacity);
  family(out, "headroom_relay_threshold", "gauge",
         "Load above which the node counts as overloaded.");
  sample(out, "headroom_relay_threshold", proxy, s.threshold);
  family(out, "headroom_relay_admitted_total", "counter", "Connections admitted.");
  sample(out, "headroom_relay_admitted_total", proxy, s.admitted_total);
  family(out, "headroom_relay_queued_total", "counter",
         "Connections that had to wait for admission.");
  sample(out, "headroom_relay_queued_total", proxy, s.queued_total);
  family(out, "headroom_relay_refused_total", "counter",
         "Connections and requests refused, by reason.");
  for (std::size_t i = 0; i < relay::refusal_reason_count; ++i)
    sample(out, "headroom_relay_refused_total",
           proxy + ",reason=\"" + relay::to_label(static_cast<relay::refusal_reason>(i)) + "\"",
           i < s.refused_total.size() ? s.refused_total[i] : 0);
  family(out, "headroom_relay_connections_total", "counter", "Device connections accepted.");
  sample(out, "headroom_relay_connections_total", proxy, traffic.connections_total.load());
  family(out, "headroom_relay_connections_shed_total", "counter",
         "Device connections closed at accept because max_connections were open.");
  sample(out, "headroom_relay_connections_shed_total", proxy, traffic.connections_shed.load());
  family(out, "headroom_relay_devices_seen_total", "counter",
         "Distinct devices relayed since start.");
  sample(out, "headroom_relay_devices_seen_total", proxy, s.devices_seen);
  family(out, "headroom_relay_bytes_total", "counter", "Bytes relayed, live.");
  sample(out, "headroom_relay_bytes_total", proxy + ",direction=\"from_devices\"",
         traffic.bytes_from_devices.load());
  sample(out, "headroom_relay_bytes_total", proxy + ",direction=\"to_devices\"",
         traffic.bytes_to_devices.load());
  family(out, "headroom_relay_session_duration_seconds", "histogram",
         "Duration of ended sessions.");
  for (std::size_t i = 0; i < relay::session_duration_buckets.size(); ++i) {
    std::ostringstream le;
    le << relay::session_duration_buckets[i];
    sample(out, "headroom_relay_session_duration_seconds_bucket",
           proxy + ",le=\"" + le.str() + "\"",
           i < s.duration_buckets.size() ? s.duration_buckets[i] : 0);
  }
  auto count = s.duration_buckets.empty() ? 0 : s.duration_buckets.back();
  sample(out, "headroom_relay_session_duration_seconds_bucket", proxy + ",le=\"+Inf\"", count);
  sample(out, "headroom_relay_session_duration_seconds_sum", proxy, s.duration_sum_seconds);
  sample(out, "headroom_relay_session_duration_seconds_count", proxy, count);
  if (s.detector.state != "standalone") {
    family(out, "headroom_relay_detector_connected", "gauge",
           "1 while the detector has registered this node and is heard from.");
    sample(out, "headroom_relay_detector_connected", proxy,
           s.detector.state == "connected" ? 1 : 0);
    family(out, "headroom_relay_bus_held", "gauge",
           "Session events held while the detector is away.");
    sample(out, "headroom_relay_bus_held", proxy, s.detector.held);
    family(out, "headroom_relay_bus_dropped_total", "counter",
           "Events dropped for the detector: oldest held ones past the bound, and frames at the "
           "bus's marks.");
    sample(out, "headroom_relay_bus_dropped_total", proxy + ",where=\"held\"", s.detector.dropped);
    sample(out, "headroom_relay_bus_dropped_total", proxy + ",where=\"bus\"",
           s.detector.bus_dropped);
  }
  return out.str();
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
