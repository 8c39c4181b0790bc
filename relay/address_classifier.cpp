#include "relay/address_classifier.hpp"

#include <array>
#include <cctype>
#include <cstdint>

namespace headroom::relay {
namespace {

struct v4_range {
  std::uint32_t network;
  int prefix;
  address_class cls;
};

constexpr std::uint32_t v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

// IANA special-purpose registry, most specific first where ranges nest.
constexpr std::array<v4_range, 17> v4_ranges{{
    {v4(255, 255, 255, 255), 32, address_class::reserved},  // limited broadcast
    {v4(0, 0, 0, 0), 8, address_class::unspecified},        // "this network"
    {v4(127, 0, 0, 0), 8, address_class::loopback},
    {v4(10, 0, 0, 0), 8, address_class::private_network},
    {v4(172, 16, 0, 0), 12, address_class::private_network},
    {v4(192, 168, 0, 0), 16, address_class::private_network},
    {v4(100, 64, 0, 0), 10, address_class::private_network},  // carrier-grade NAT
    {v4(169, 254, 0, 0), 16, address_class::link_local},
    {v4(192, 0, 0, 0), 24, address_class::reserved},     // IETF protocol assignments
    {v4(192, 0, 2, 0), 24, address_class::reserved},     // TEST-NET-1
    {v4(198, 51, 100, 0), 24, address_class::reserved},  // TEST-NET-2
    {v4(203, 0, 113, 0), 24, address_class::reserved},   // TEST-NET-3
    {v4(198, 18, 0, 0), 15, address_class::reserved},    // benchmarking
    {v4(192, 88, 99, 0), 24, address_class::reserved},   // 6to4 relay anycast
    {v4(224, 0, 0, 0), 4, address_class::multicast},
    {v4(240, 0, 0, 0), 4, address_class::reserved},
    {v4(192, 31, 196, 0), 24, address_class::reserved},  // AS112
}};

bool in_prefix(std::uint32_t address, std::uint32_t network, int prefix) {
  std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (address & mask) == (network & mask);
}

address_class classify_v4(const boost::asio::ip::address_v4& address) {
  auto raw = address.to_uint();
  for (const auto& range : v4_ranges)
    if (in_prefix(raw, range.network, range.prefix)) return range.cls;
  return address_class::public_unicast;
}

address_class classify_v6(const boost::asio::ip::address_v6& address) {
  auto b = address.to_bytes();
  if (address.is_loopback()) return address_class::loopback;
  if (address.is_unspecified()) return address_class::unspecified;
  if (address.is_v4_mapped()) return address_class::ipv4_mapped;
  bool first_96_zero = true;
  for (int i = 0; i < 12; ++i) first_96_zero = first_96_zero && b[i] == 0;
  if (first_96_zero) return address_class::ipv4_mapped;  // deprecated IPv4-compatible
  if (b[0] == 0xff) return address_class::multicast;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return address_class::link_local;
  if ((b[0] & 0xfe) == 0xfc) return address_class::private_network;                  // unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return address_class::private_network;  // site-local
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
    return address_class::reserved;  // NAT64 64:ff9b::/96 embeds IPv4
  if (b[0] == 0x20 && b[1] == 0x02) return address_class::reserved;  // 6to4 embeds IPv4
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
    return address_class::reserved;  // documentation
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
    return address_class::reserved;                           // Teredo embeds IPv4
  if ((b[0] & 0xe0) != 0x20) return address_class::reserved;  // outside global unicast 2000::/3
  return address_class::public_unicast;
}

bool is_number_label(std::string_view label) {
  if (label.empty()) return false;
  if (label.size() > 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) {
    for (char c : label.substr(2))
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
  }
  if (label == "0x" || label == "0X") return true;  // inet_aton reads "0x" as zero
  for (char c : label)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

address_class classify(const boost::asio::ip::address& address) {
  return address.is_v4() ? classify_v4(address.to_v4()) : classify_v6(address.to_v6());
}

const char* to_string(address_class c) {
  switch (c) {
    case address_class::public_unicast:
      return "public unicast";
    case address_class::loopback:
      return "loopback";
    case address_class::private_network:
      return "private network";
    case address_class::link_local:
      return "link-local";
    case address_class::unspecified:
      return "unspecified";
    case address_class::multicast:
      return "multicast";
    case address_class::reserved:
      return "reserved";
    case address_class::ipv4_mapped:
      return "IPv4-mapped IPv6";
  }
  return "unknown";
}

bool parse_canonical_ip(std::string_view text, boost::asio::ip::address& out) {
  if (text.find(':') != std::string_view::npos) {
    if (text.find('%') != std::string_view::npos) return false;  // zones name local links
    boost::system::error_code ec;
    auto v6 = boost::asio::ip::make_address_v6(std::string(text), ec);
    if (ec) return false;
    out = v6;
    return true;
  }
  std::array<std::uint8_t, 4> parts{};
  std::size_t part = 0;
  std::size_t pos = 0;
  while (true) {
    auto dot = text.find('.', pos);
    auto label = text.substr(pos, dot == std::string_view::npos ? text.npos : dot - pos);
    if (part >= 4 || label.empty() || label.size() > 3) return false;
    if (label.size() > 1 && label[0] == '0') return false;
    unsigned value = 0;
    for (char c : label) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 255) return false;
    parts[part++] = static_cast<std::uint8_t>(value);
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  if (part != 4) return false;
  out = boost::asio::ip::address_v4(parts);
  return true;
}

bool looks_like_obfuscated_ipv4(std::string_view host) {
  boost::asio::ip::address ignored;
  if (parse_canonical_ip(host, ignored)) return false;
  auto last_dot = host.rfind('.');
  auto last = last_dot == std::string_view::npos ? host : host.substr(last_dot + 1);
  return is_number_label(last);
}

}  // namespace headroom::relay
