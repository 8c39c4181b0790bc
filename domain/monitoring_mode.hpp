#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace headroom::domain {

/// How a device reaches the cloud (claim 3): through its proxies, or directly (loading no
/// proxy). The fleet, the bus, the API and the relay's configuration all say it this way.
enum class monitoring_mode : std::uint8_t { proxy, direct };

/// "proxy" or "direct": the spelling of the fleet file, the bus and the API.
constexpr const char* to_string(monitoring_mode m) {
  return m == monitoring_mode::proxy ? "proxy" : "direct";
}

constexpr std::optional<monitoring_mode> parse_monitoring_mode(std::string_view text) {
  if (text == "proxy") return monitoring_mode::proxy;
  if (text == "direct") return monitoring_mode::direct;
  return std::nullopt;
}

}  // namespace headroom::domain
