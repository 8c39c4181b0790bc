#include "bus/endpoints.hpp"

namespace headroom::bus {
namespace {

constexpr std::string_view tcp = "tcp://";

bool has_scheme(std::string_view endpoint, std::string_view scheme) {
  return endpoint.size() > scheme.size() && endpoint.substr(0, scheme.size()) == scheme;
}

domain::error refused(std::string what) { return {"", std::move(what)}; }

}  // namespace

domain::expected<tcp_endpoint> parse_tcp_endpoint(std::string_view endpoint,
                                                  common::port_range ports) {
  const std::string text(endpoint);
  if (!has_scheme(endpoint, tcp)) return refused("'" + text + "' is not tcp://HOST:PORT");
  auto parts = common::split_host_port(endpoint.substr(tcp.size()));
  if (!parts) return refused("'" + text + "' is not tcp://HOST:PORT");
  auto port = parts->second == "*" && ports.min == 0 ? std::optional<std::uint16_t>(0)
                                                     : common::parse_port(parts->second, ports);
  if (!port)
    return refused("port '" + parts->second + "' in '" + text + "' is not " +
                   std::to_string(ports.min) + ".." + std::to_string(ports.max));
  return tcp_endpoint{std::move(parts->first), *port};
}

std::optional<domain::error> check_connect_endpoint(std::string_view endpoint) {
  if (has_scheme(endpoint, tcp)) {
    if (auto parsed = parse_tcp_endpoint(endpoint, {1, 65535}); !parsed) return parsed.failure();
    return std::nullopt;
  }
  if (has_scheme(endpoint, "ipc://")) return std::nullopt;
  return refused("'" + std::string(endpoint) + "' is not a tcp://HOST:PORT or ipc://PATH endpoint");
}

std::optional<domain::error> check_bind_endpoint(std::string_view endpoint) {
  if (has_scheme(endpoint, tcp)) {
    if (auto parsed = parse_tcp_endpoint(endpoint, {0, 65535}); !parsed) return parsed.failure();
    return std::nullopt;
  }
  if (has_scheme(endpoint, "ipc://") || has_scheme(endpoint, "inproc://")) return std::nullopt;
  return refused("must be a tcp://, ipc:// or inproc:// endpoint, not " + std::string(endpoint));
}

bool is_loopback_endpoint(std::string_view endpoint) {
  if (has_scheme(endpoint, "ipc://") || has_scheme(endpoint, "inproc://")) return true;
  auto parsed = parse_tcp_endpoint(endpoint, {0, 65535});
  if (!parsed) return false;
  const auto& host = parsed->host;
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::optional<std::string> plaintext_bus_warning(std::string_view router, std::string_view pub,
                                                 bool curve) {
  if (curve) return std::nullopt;
  std::string exposed;
  for (const auto endpoint : {router, pub})
    if (!is_loopback_endpoint(endpoint))
      exposed += (exposed.empty() ? "" : " and ") + std::string(endpoint);
  if (exposed.empty()) return std::nullopt;
  return "WARNING: the bus listens on " + exposed +
         " WITHOUT CurveZMQ: any host that reaches it can announce nodes, send events and read "
         "the bus. Set bus.key_file and bus.allowlist_file (headroom keygen), or bind "
         "127.0.0.1.";
}

domain::expected<std::string> pub_endpoint_beside(std::string_view router,
                                                  std::string_view router_setting) {
  const std::string setting(router_setting);
  if (!has_scheme(router, tcp)) {
    const auto end = router.find("://");
    const auto scheme = end == std::string_view::npos ? router : router.substr(0, end + 3);
    return refused("must be given with an " + std::string(scheme) + " " + setting);
  }
  auto parsed = parse_tcp_endpoint(router, {0, 65535});
  if (!parsed) return parsed.failure();
  if (parsed->port == 0) return refused("must be given when " + setting + " picks any port");
  if (parsed->port == 65535)
    return refused("must be given: " + setting + " has the last port, 65535");
  return std::string(tcp) + common::format_host_port(parsed->host, parsed->port + 1);
}

}  // namespace headroom::bus
