#include "distribution/api/resource_json.hpp"

namespace headroom::distribution {

using domain::format_utc;
using nlohmann::json;

json to_json(const json_row& r) { return r.value; }

json to_json(const job_record& j) {
  return {{"id", j.id},
          {"device", j.device},
          {"package", j.package},
          {"start", format_utc(j.start)},
          {"duration_s", j.duration_s},
          {"deadline", j.deadline ? json(format_utc(*j.deadline)) : json(nullptr)},
          {"priority", j.priority},
          {"status", j.status},
          {"version", j.version},
          {"updated_at", format_utc(j.updated_at)}};
}

json to_json(const device_record& d) {
  return {{"id", d.id},
          {"customer", d.customer},
          {"model", d.model},
          {"monitoring_mode", d.mode},
          {"proxies", d.proxies}};
}

json to_json(const package_record& p) {
  return {{"id", p.id},
          {"version", p.version},
          {"size_bytes", p.size_bytes},
          {"sha256", p.sha256 ? json(*p.sha256) : json(nullptr)},
          {"firmware", p.sha256 ? json("/firmware/" + p.id) : json(nullptr)}};
}

json to_json(const topology_proxy& p) {
  return {
      {"id", p.id}, {"capacity", p.capacity}, {"threshold", p.threshold}, {"devices", p.devices}};
}

json notification_json(const event_record& e) {
  auto out = json::parse(e.body);
  out["id"] = e.seq;
  out["received_at"] = format_utc(e.received_at);
  out["acknowledged_at"] = e.acknowledged_at ? json(format_utc(*e.acknowledged_at)) : json(nullptr);
  out["acknowledged_by"] = e.acknowledged_at ? json(e.acknowledged_by) : json(nullptr);
  return out;
}

json adjustment_json(const event_record& e) {
  auto answer = json::parse(e.answer);
  return {{"id", e.seq},
          {"actor", e.actor},
          {"received_at", format_utc(e.received_at)},
          {"request", json::parse(e.body)},
          {"applied", answer["applied"]},
          {"refused", answer["refused"]},
          {"results", answer["results"]}};
}

}  // namespace headroom::distribution
