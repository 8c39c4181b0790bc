#include "detector/status_text.hpp"

#include <nlohmann/json.hpp>

#include "common/prometheus_text.hpp"
#include "domain/time.hpp"

namespace headroom::detector {
namespace {

using nlohmann::json;

std::string time_or_null(domain::instant t) { return t ? domain::format_utc(t) : ""; }

json windows_json(const std::vector<distribution_api::window_record>& windows) {
  json out = json::array();
  for (const auto& w : windows)
    out.push_back({{"start", domain::format_utc(w.start)},
                   {"end", domain::format_utc(w.end)},
                   {"peak", w.peak},
                   {"threshold", w.threshold},
                   {"jobs", w.jobs}});
  return out;
}

}  // namespace

std::string render_status_json(const detector_report& r) {
  json out{{"detector", r.detector_id},
           {"mode", r.mode},
           {"started_at", domain::format_utc(r.started_at)},
           {"missing", r.missing}};
  if (r.registry) {
    json proxies = json::array();
    for (const auto& p : r.registry->proxies)
      proxies.push_back({{"id", p.id},
                         {"capacity", p.capacity},
                         {"threshold", p.threshold},
                         {"devices", p.devices},
                         {"nodes", p.nodes},
                         {"stale", p.stale}});
    json refused = json::object();
    for (const auto& [node, proxies] : r.registry->refused_nodes) refused[node] = proxies;
    out["nodes"] = {{"live", r.registry->nodes_live},
                    {"stale", r.registry->nodes_stale},
                    {"refused", r.registry->refused_nodes.size()}};
    out["refused_nodes"] = std::move(refused);
    out["refused_announcements"] = r.registry->refused_announcements;
    out["devices"] = r.registry->devices;
    out["proxies"] = std::move(proxies);
  }
  if (r.fetch) {
    const auto& f = *r.fetch;
    out["fetch"] = {{"last_attempt", time_or_null(f.last_attempt)},
                    {"last_success", time_or_null(f.last_success)},
                    {"last_error", f.last_error},
                    {"circuit", f.circuit},
                    {"fetches", f.fetches},
                    {"failures", f.failures},
                    {"stale_snapshot", f.stale_snapshot},
                    {"model_generation", f.generation},
                    {"devices", f.devices},
                    {"jobs", f.jobs}};
  }
  if (r.windows) {
    json windows = json::object();
    for (const auto& [proxy, list] : r.windows->by_proxy) windows[proxy] = windows_json(list);
    out["open_windows"] = std::move(windows);
  }
  if (r.outbox)
    out["outbox"] = {{"depth", r.outbox->depth},         {"delivered", r.outbox->delivered},
                     {"failures", r.outbox->failures},   {"dropped", r.outbox->dropped},
                     {"unchanged", r.outbox->unchanged}, {"last_error", r.outbox->last_error}};
  if (r.bus)
    out["bus"] = {{"frames_in", r.bus->frames_in},       {"frames_out", r.bus->frames_out},
                  {"refused", r.bus->refused_total},     {"unregistered", r.bus->unregistered},
                  {"auth_refused", r.bus->auth_refused}, {"dropped", r.bus->dropped},
                  {"last_refusal", r.bus->last_refusal}};
  return out.dump(2) + "\n";
}

std::string render_metrics(const detector_report& r) {
  common::prometheus_text out;
  // Every value is written as a double, as the detector always has: counts from a million
  // on come out in exponent form with 6 significant digits.
  const auto metric = [&](const char* name, const char* help, double value,
                          const char* type = "gauge") {
    out.family(name, type, help);
    out.sample(name, value);
  };
  metric("headroom_detector_up", "1 while every part of the detector answers.",
         r.missing.empty() ? 1 : 0);
  if (r.registry) {
    metric("headroom_detector_nodes_live", "Proxy nodes heard from within the timeout.",
           r.registry->nodes_live);
    metric("headroom_detector_nodes_stale", "Proxy nodes silent beyond the timeout.",
           r.registry->nodes_stale);
    metric("headroom_detector_devices", "Devices the nodes announced in proxy mode.",
           static_cast<double>(r.registry->devices));
    metric("headroom_detector_nodes_refused",
           "Nodes refused for announcing a proxy this detector does not own.",
           static_cast<double>(r.registry->refused_nodes.size()));
    metric("headroom_detector_announcements_refused_total",
           "Hellos and device lists ignored because their proxy is not owned here.",
           static_cast<double>(r.registry->refused_announcements), "counter");
  }
  if (r.fetch) {
    metric("headroom_detector_fetches_total", "Fetches from the distribution system.",
           static_cast<double>(r.fetch->fetches), "counter");
    metric("headroom_detector_fetch_failures_total", "Failed fetches.",
           static_cast<double>(r.fetch->failures), "counter");
    metric("headroom_detector_fetch_circuit_open", "1 while the circuit breaker is open.",
           r.fetch->circuit == "open" ? 1 : 0);
    metric("headroom_detector_snapshot_stale", "1 while detection runs on the last good snapshot.",
           r.fetch->stale_snapshot ? 1 : 0);
    metric("headroom_detector_jobs", "Delivery jobs that load a watched proxy.",
           static_cast<double>(r.fetch->jobs));
  }
  if (r.windows) {
    out.family("headroom_detector_open_windows", "gauge", "Overloaded windows per proxy.");
    for (const auto& [proxy, list] : r.windows->by_proxy)
      out.sample("headroom_detector_open_windows", {{"proxy", proxy}}, list.size());
  }
  if (r.outbox) {
    metric("headroom_detector_outbox_depth", "Notifications and adjustments not yet delivered.",
           static_cast<double>(r.outbox->depth));
    metric("headroom_detector_delivered_total", "Notifications and adjustments delivered.",
           static_cast<double>(r.outbox->delivered), "counter");
    metric("headroom_detector_delivery_failures_total", "Failed delivery attempts.",
           static_cast<double>(r.outbox->failures), "counter");
    metric("headroom_detector_deliveries_dropped_total",
           "Notifications and adjustments the distribution system refused for good.",
           static_cast<double>(r.outbox->dropped), "counter");
  }
  if (r.bus) {
    metric("headroom_detector_bus_frames_in_total", "Bus frames decoded.",
           static_cast<double>(r.bus->frames_in), "counter");
    metric("headroom_detector_bus_frames_refused_total",
           "Malformed or unexpected bus frames refused.", static_cast<double>(r.bus->refused_total),
           "counter");
    metric("headroom_detector_bus_unregistered_total",
           "Bus frames from peers that had not said hello.",
           static_cast<double>(r.bus->unregistered), "counter");
    metric("headroom_detector_bus_auth_refused_total", "CurveZMQ handshakes refused.",
           static_cast<double>(r.bus->auth_refused), "counter");
    metric("headroom_detector_bus_dropped_total", "Bus frames dropped by the high-water policy.",
           static_cast<double>(r.bus->dropped), "counter");
  }
  return out.text();
}

}  // namespace headroom::detector
