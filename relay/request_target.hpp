#pragma once
// The upstream a proxy request names: `CONNECT host:port` (authority-form) or
// `GET http://host:port/path` (absolute-form). Parsing is strict on purpose: targets
// written to slip past the allowlist (userinfo, numeric IPv4 spellings, IPv4-mapped
// IPv6, zones) are refused here, before any name is looked up.

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "relay/http_error.hpp"

namespace headroom::relay {

struct request_target {
  std::string host;  ///< Lower-case name, or the canonical text of an IP literal.
  std::optional<boost::asio::ip::address> literal;  ///< Set when host is an IP literal.
  std::uint16_t port = 0;
  std::string origin_form;  ///< `/path?query` to send upstream; empty for CONNECT.

  /// `host:port` with IPv6 literals in brackets.
  [[nodiscard]] std::string authority() const;
};

/// Parses the authority of a CONNECT request: `host:port`, the port required.
http_result<request_target> parse_connect_target(std::string_view target);

/// Parses an absolute-form `http://authority[/path][?query]` target.
http_result<request_target> parse_absolute_target(std::string_view target);

/// Parses `host[:port]` (a Host header, or the authority inside a URI).
http_result<request_target> parse_authority(std::string_view authority,
                                            std::optional<std::uint16_t> default_port);

/// True if a Host header names the same host and port as the target (refused with 403
/// otherwise: upstreams that route by Host would be reached past the allowlist).
bool host_header_matches(std::string_view host_header, const request_target& target);

}  // namespace headroom::relay
