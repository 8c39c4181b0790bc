#include "distribution/api/resource_json.hpp"

#include <nlohmann/json.hpp>

namespace headroom::distribution {

using domain::format_utc;
using nlohmann::json;

std::string notification_json(const event_record& e) {
  auto out = json::parse(e.body);
  out["id"] = e.seq;
  out["received_at"] = format_utc(e.received_at);
  out["acknowledged_at"] = e.acknowledged_at ? json(format_utc(*e.acknowledged_at)) : json(nullptr);
  out["acknowledged_by"] = e.acknowledged_at ? json(e.acknowledged_by) : json(nullptr);
  return out.dump();
}

std::string adjustment_json(const event_record& e) {
  // The stored answer's members are copied as they were given, not read and written again.
  auto answer = json::parse(e.answer);
  return json{{"id", e.seq},
              {"actor", e.actor},
              {"received_at", format_utc(e.received_at)},
              {"request", json::parse(e.body)},
              {"applied", answer["applied"]},
              {"refused", answer["refused"]},
              {"results", answer["results"]}}
      .dump();
}

std::string proxy_summary_json(const distribution_api::topology_proxy& p) {
  return json{{"id", p.id},
              {"capacity", p.capacity},
              {"threshold", p.threshold},
              {"devices_seen", p.devices.size()}}
      .dump();
}

}  // namespace headroom::distribution
