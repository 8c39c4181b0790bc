#pragma once
// HOST:PORT, as every listen, admin and status address is written and as the roles print
// their URLs: an IPv6 host goes in brackets ([::1]:8080), the port within a range that
// the caller states (0 for "any free port" where binding allows it).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/expected.hpp"

namespace headroom::common {

struct host_port {
  std::string host;  ///< Without brackets: "::1".
  std::uint16_t port = 0;
};

/// The ports an address may name.
struct port_range {
  std::uint16_t min = 0;
  std::uint16_t max = 65535;
};

/// The host and the port text of HOST:PORT (brackets removed from an IPv6 host); the
/// error says why TEXT is not HOST:PORT.
domain::expected<std::pair<std::string, std::string>> split_host_port(std::string_view text);

/// A decimal port within PORTS, or nullopt.
std::optional<std::uint16_t> parse_port(std::string_view text, port_range ports = {});

/// HOST:PORT with the port within PORTS. The host is not checked further: whether it must
/// be an address or may be a name is the caller's to say. The error names no setting.
domain::expected<host_port> parse_host_port(std::string_view text, port_range ports = {});

/// HOST:PORT, an IPv6 host in brackets: what follows `http://` in a printed URL.
std::string format_host_port(std::string_view host, std::uint16_t port);

}  // namespace headroom::common
