#include "common/host_port.hpp"

namespace headroom::common {

domain::expected<std::pair<std::string, std::string>> split_host_port(std::string_view text) {
  const auto fail = [&](const char* why) {
    return domain::error{"", "'" + std::string(text) + "' is not HOST:PORT" + why};
  };
  std::string_view host;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return fail(" (an unclosed '[')");
    host = text.substr(1, close - 1);
    rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return fail("");
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail("");
    host = text.substr(0, colon);
    rest = text.substr(colon);
    if (host.find(':') != std::string_view::npos)
      return fail(" (an IPv6 host goes in brackets: [::1]:PORT)");
  }
  if (host.empty()) return fail(" (no host)");
  return std::pair{std::string(host), std::string(rest.substr(1))};
}

std::optional<std::uint16_t> parse_port(std::string_view text, port_range ports) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != text.npos)
    return std::nullopt;
  const auto port = std::stoul(std::string(text));
  if (port < ports.min || port > ports.max) return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

domain::expected<host_port> parse_host_port(std::string_view text, port_range ports) {
  auto parts = split_host_port(text);
  if (!parts) return parts.failure();
  auto port = parse_port(parts->second, ports);
  if (!port)
    return domain::error{"", "port '" + parts->second + "' in '" + std::string(text) + "' is not " +
                                 std::to_string(ports.min) + ".." + std::to_string(ports.max)};
  return host_port{std::move(parts->first), *port};
}

std::string format_host_port(std::string_view host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port);
}

}  // namespace headroom::common
