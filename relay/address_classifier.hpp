#pragma once
// Which addresses the relay refuses unless the operator names them explicitly:
// everything that is not public unicast (loopback, private ranges, link-local such as
// the cloud metadata address 169.254.169.254, unspecified, multicast, reserved).

#include <boost/asio/ip/address.hpp>
#include <string_view>

namespace headroom::relay {

enum class address_class {
  public_unicast,
  loopback,         ///< 127.0.0.0/8, ::1
  private_network,  ///< 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7
  link_local,       ///< 169.254/16, fe80::/10
  unspecified,      ///< 0.0.0.0/8, ::
  multicast,        ///< 224/4, ff00::/8
  reserved,         ///< documentation, benchmarking, 240/4, broadcast, NAT64, 6to4 ...
  ipv4_mapped,      ///< ::ffff:0:0/96 and ::/96-compatible forms: a way around IPv4 rules
};

/// The class of an address. Pure: no lookups.
address_class classify(const boost::asio::ip::address& address);

/// True unless the address is public unicast.
inline bool refused_unless_named(address_class c) { return c != address_class::public_unicast; }

const char* to_string(address_class c);

/// Parses a strictly canonical IPv4 dotted quad (four decimal parts 0..255, no leading
/// zeros) or an IPv6 literal (without brackets, without a zone). Returns false otherwise.
bool parse_canonical_ip(std::string_view text, boost::asio::ip::address& out);

/// True if `host` is not a canonical IP literal yet an IPv4 parser (inet_aton) could read
/// it as one: `2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`. Names whose last label is
/// numeric fall here too; no real host name ends in a numeric label.
bool looks_like_obfuscated_ipv4(std::string_view host);

}  // namespace headroom::relay
