#include "formats/fleet_writer.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace headroom::formats {
namespace {

using json = nlohmann::ordered_json;
using domain::format_utc;

json to_json(const domain::proxy& p) {
  return {{"id", p.id}, {"capacity", p.capacity}, {"threshold", p.threshold}};
}

json to_json(const domain::customer& c) {
  json windows = json::array();
  for (const auto& w : c.maintenance_windows)
    windows.push_back({{"from", domain::format_time_of_day(w.from_minute)},
                       {"to", domain::format_time_of_day(w.to_minute)}});
  return {{"id", c.id},
          {"services", c.services},
          {"time_zone", c.time_zone},
          {"maintenance_windows", windows}};
}

json to_json(const domain::fleet& f, const domain::device& d) {
  json out = {{"id", d.id},
              {"customer", f.customers[d.customer].id},
              {"monitoring_mode", d.relayed() ? "proxy" : "direct"}};
  if (d.path.size() == 1) out["proxy"] = f.proxies[d.path.front()].id;
  if (d.path.size() > 1) {
    json chain = json::array();
    for (auto p : d.path) chain.push_back(f.proxies[p].id);
    out["proxies"] = chain;
  }
  if (!d.model.empty()) out["model"] = d.model;
  return out;
}

json to_json(const domain::package& p) {
  return {{"id", p.id}, {"version", p.version}, {"size_bytes", p.size_bytes}};
}

json to_json(const domain::fleet& f, const domain::job& j) {
  json out = {{"id", j.id},
              {"device", f.devices[j.device].id},
              {"package", j.package},
              {"start", format_utc(j.start)},
              {"duration_s", j.duration_s}};
  if (j.deadline) out["deadline"] = format_utc(*j.deadline);
  if (j.priority != 0) out["priority"] = j.priority;
  return out;
}

json to_json(const domain::fleet& f, const domain::service_schedule& s) {
  json out = json::object();
  if (s.device) out["device"] = f.devices[*s.device].id;
  if (s.customer) out["customer"] = f.customers[*s.customer].id;
  out["service"] = s.service;
  out["first_start"] = format_utc(s.first_start);
  out["every_s"] = s.every_s;
  out["duration_s"] = s.duration_s;
  return out;
}

template <class Items, class ToJson>
void write_array(std::ostream& out, const char* name, const Items& items, ToJson&& to,
                 bool last = false) {
  out << "  \"" << name << "\": [";
  for (std::size_t i = 0; i < items.size(); ++i)
    out << (i ? ",\n    " : "\n    ") << to(items[i]).dump();
  out << (items.empty() ? "]" : "\n  ]") << (last ? "\n" : ",\n");
}

}  // namespace

void write_fleet(const domain::fleet& f, std::ostream& out) {
  out << "{\n";
  if (f.horizon)
    out << "  \"horizon\": "
        << json{{"from", format_utc(f.horizon->start)}, {"to", format_utc(f.horizon->end)}}.dump()
        << ",\n";
  write_array(out, "proxies", f.proxies, [](const auto& p) { return to_json(p); });
  write_array(out, "customers", f.customers, [](const auto& c) { return to_json(c); });
  write_array(out, "devices", f.devices, [&](const auto& d) { return to_json(f, d); });
  write_array(out, "packages", f.packages, [](const auto& p) { return to_json(p); });
  write_array(out, "jobs", f.jobs, [&](const auto& j) { return to_json(f, j); });
  write_array(
      out, "services", f.services, [&](const auto& s) { return to_json(f, s); }, true);
  out << "}\n";
}

std::string fleet_to_json(const domain::fleet& f) {
  std::ostringstream out;
  write_fleet(f, out);
  return out.str();
}

}  // namespace headroom::formats
