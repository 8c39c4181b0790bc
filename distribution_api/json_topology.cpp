// The topology a detector reports (`PUT /api/v1/topology`) and the answer to it.
#include <nlohmann/json.hpp>

#include "distribution_api/field_reader.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution_api {

using nlohmann::json;

std::string write_topology(const topology_record& t) {
  json proxies = json::array();
  for (const auto& p : t.proxies)
    proxies.push_back({{"id", p.id},
                       {"capacity", p.capacity},
                       {"threshold", p.threshold},
                       {"devices", p.devices}});
  json out{{"proxies", std::move(proxies)}};
  if (!t.detector.empty()) out["detector"] = t.detector;
  return out.dump();
}

domain::expected<topology_record> read_topology(std::string_view body) {
  return read_document<topology_record>(body, strictness::strict, [](const json& doc) {
    field_reader root(doc, "", strictness::strict, {"proxies", "detector"});
    topology_record out;
    out.detector = root.optional_string("detector").value_or("");
    const auto& proxies = root.array("proxies");
    for (std::size_t i = 0; i < proxies.size(); ++i) {
      const auto p = root.object(proxies[i], item_path("proxies", i),
                                 {"id", "capacity", "threshold", "devices"});
      topology_proxy t;
      t.id = p.string("id");
      for (const auto& earlier : out.proxies)
        if (earlier.id == t.id) reject(p.at("id"), "proxy '" + t.id + "' appears twice");
      t.capacity = static_cast<std::int32_t>(p.integer("capacity", 1, 1'000'000));
      t.threshold = static_cast<std::int32_t>(p.integer("threshold", 1, t.capacity));
      t.devices = p.strings("devices", "a device id");
      out.proxies.push_back(std::move(t));
    }
    return out;
  });
}

std::string write_topology_answer(std::size_t proxies,
                                  const std::vector<std::string>& unknown_devices) {
  return json{{"proxies", proxies}, {"unknown_devices", unknown_devices}}.dump();
}

domain::expected<std::vector<std::string>> read_topology_answer(std::string_view body) {
  return read_document<std::vector<std::string>>(body, strictness::lenient, [](const json& doc) {
    return field_reader(doc, "", strictness::lenient).strings("unknown_devices");
  });
}

}  // namespace headroom::distribution_api
