#pragma once
// The bus's endpoints as the roles' configurations write them, checked before anything
// binds or connects: tcp://HOST:PORT, ipc://PATH, inproc://NAME (in one process only).
// And the detector's rule that its PUB listens on the port after its ROUTER, so that a
// node needs to be told one endpoint and both sides derive the other the same way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/host_port.hpp"
#include "domain/expected.hpp"

namespace headroom::bus {

/// Where the detector binds its ROUTER unless told otherwise, and its PUB beside it.
inline constexpr const char* default_router_endpoint = "tcp://127.0.0.1:5555";
inline constexpr const char* default_pub_endpoint = "tcp://127.0.0.1:5556";

struct tcp_endpoint {
  std::string host;        ///< A name, an address (IPv6 without brackets) or `*` (a bind).
  std::uint16_t port = 0;  ///< 0: any free port (`*` or 0; binding only).
};

/// tcp://HOST:PORT with the port within PORTS; `*` is port 0 where 0 is allowed.
domain::expected<tcp_endpoint> parse_tcp_endpoint(std::string_view endpoint,
                                                  common::port_range ports);

/// What a node connects to: tcp://HOST:PORT (port 1..65535) or ipc://PATH.
std::optional<domain::error> check_connect_endpoint(std::string_view endpoint);

/// What the detector binds: tcp://HOST:PORT (port 0 or `*`: any), ipc://PATH or
/// inproc://NAME.
std::optional<domain::error> check_bind_endpoint(std::string_view endpoint);

/// True when only this host can reach ENDPOINT: tcp:// on 127.0.0.0/8, ::1 or localhost,
/// and every ipc:// or inproc:// endpoint. `*`, 0.0.0.0 and any other address are not.
bool is_loopback_endpoint(std::string_view endpoint);

/// The loud warning a detector gives when it binds a bus endpoint other hosts can reach
/// without CurveZMQ (anyone on the network may then announce nodes and read the bus);
/// nullopt when CURVE is on or both endpoints are loopback.
std::optional<std::string> plaintext_bus_warning(std::string_view router, std::string_view pub,
                                                 bool curve);

/// The PUB beside the ROUTER at ROUTER: the same tcp host, the next port. Other transports
/// and a ROUTER on any port or on the last one leave it to be given; ROUTER_SETTING names
/// the ROUTER in that error ("must be given with an ipc:// detector").
domain::expected<std::string> pub_endpoint_beside(std::string_view router,
                                                  std::string_view router_setting);

}  // namespace headroom::bus
