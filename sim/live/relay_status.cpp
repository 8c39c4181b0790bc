#include "sim/live/relay_status.hpp"

#include <nlohmann/json.hpp>

#include "detector/http_connection.hpp"

namespace headroom::sim {

relay_status_reader::relay_status_reader(const live_endpoint& admin) {
  detector::http_limits limits;
  limits.connect_timeout = std::chrono::milliseconds{500};
  limits.request_timeout = std::chrono::milliseconds{1000};
  connection_ = std::make_unique<detector::http_connection>(admin.host, admin.port, limits);
}

relay_status_reader::~relay_status_reader() = default;

std::optional<relay_snapshot> relay_status_reader::read() {
  auto answer = connection_->send(detector::http_method::get, "/status", "", {});
  if (!answer || answer->status != 200) return std::nullopt;
  const auto status = nlohmann::json::parse(answer->body, nullptr, false);
  if (!status.is_object()) return std::nullopt;
  try {
    relay_snapshot s;
    s.proxy_id = status.at("proxy_id").get<std::string>();
    s.capacity = status.at("capacity").get<std::int32_t>();
    s.threshold = status.at("threshold").get<std::int32_t>();
    s.active_devices = status.at("active_devices").get<std::int32_t>();
    s.admitted_total = status.at("admitted_total").get<std::int64_t>();
    for (const auto& [reason, count] : status.at("refused_total").items())
      s.refused_total += count.get<std::int64_t>();
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace headroom::sim
