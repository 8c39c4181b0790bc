#include "relay/request_target.hpp"

#include <algorithm>

#include "relay/address_classifier.hpp"
#include "relay/ascii.hpp"

namespace headroom::relay {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

// RFC 1123 host names: labels of letters, digits and hyphens, 1..63 long, 253 in all.
bool valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  char previous = '.';
  for (char c : name) {
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else if (is_ascii_alnum(c) || c == '-') {
      if (c == '-' && label == 0) return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    previous = c;
  }
  return label > 0 && previous != '-';
}

http_result<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5)
    return bad_request("port '" + std::string(text) + "' is not 1..65535");
  unsigned value = 0;
  for (char c : text) {
    if (!is_ascii_digit(c)) return bad_request("port '" + std::string(text) + "' is not a number");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535)
    return bad_request("port '" + std::string(text) + "' is not 1..65535");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string request_target::authority() const {
  bool v6 = literal && literal->is_v6();
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

http_result<request_target> parse_authority(std::string_view authority,
                                            std::optional<std::uint16_t> default_port) {
  if (authority.empty()) return bad_request("empty authority");
  if (authority.find('@') != std::string_view::npos)
    return forbidden("userinfo in target '" + std::string(authority) + "'");
  request_target out;
  std::string_view host;
  std::string_view port;
  bool has_port = false;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad_request("unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad_request("junk after IPv6 literal");
      port = rest.substr(1);
      has_port = true;
    }
    if (host.find('%') != std::string_view::npos)
      return forbidden("IPv6 zone in target '" + std::string(authority) + "'");
    boost::asio::ip::address address;
    if (!parse_canonical_ip(host, address) || !address.is_v6())
      return bad_request("bad IPv6 literal '" + std::string(host) + "'");
    if (classify(address) == address_class::ipv4_mapped)
      return forbidden("IPv4-mapped IPv6 target '" + std::string(host) + "'");
    out.literal = address;
    out.host = address.to_string();
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      has_port = true;
    } else {
      host = authority;
    }
    if (host.find(':') != std::string_view::npos)
      return bad_request("IPv6 literal without brackets in '" + std::string(authority) + "'");
    boost::asio::ip::address address;
    if (parse_canonical_ip(host, address)) {
      out.literal = address;
      out.host = std::string(host);  // canonical IPv4: exactly what to_string would write
    } else if (looks_like_obfuscated_ipv4(host)) {
      return forbidden("non-canonical IPv4 spelling '" + std::string(host) + "'");
    } else if (!valid_host_name(host)) {
      return bad_request("bad host name '" + std::string(host) + "'");
    } else {
      out.host = lower(host);
    }
  }
  if (has_port) {
    auto parsed = parse_port(port);
    if (!parsed) return parsed.failure();
    out.port = *parsed;
  } else if (default_port) {
    out.port = *default_port;
  } else {
    return bad_request("missing port in '" + std::string(authority) + "'");
  }
  return out;
}

http_result<request_target> parse_connect_target(std::string_view target) {
  return parse_authority(target, std::nullopt);
}

http_result<request_target> parse_absolute_target(std::string_view target) {
  constexpr std::string_view scheme = "http://";
  if (target.size() < scheme.size() || !iequals(target.substr(0, scheme.size()), scheme)) {
    if (!target.empty() && target.front() == '/')
      return bad_request("origin-form target '" + std::string(target) + "' sent to a proxy");
    return bad_request("target '" + std::string(target) + "' is not an absolute http:// URI");
  }
  auto rest = target.substr(scheme.size());
  if (rest.find('#') != std::string_view::npos) return bad_request("fragment in target");
  if (rest.find('\\') != std::string_view::npos) return bad_request("backslash in target");
  auto end = rest.find_first_of("/?");
  auto authority = rest.substr(0, end);
  auto parsed = parse_authority(authority, std::uint16_t{80});
  if (!parsed) return parsed;
  if (end == std::string_view::npos)
    parsed->origin_form = "/";
  else if (rest[end] == '?')
    parsed->origin_form = "/" + std::string(rest.substr(end));
  else
    parsed->origin_form = std::string(rest.substr(end));
  return parsed;
}

bool host_header_matches(std::string_view host_header, const request_target& target) {
  auto parsed = parse_authority(host_header, std::uint16_t{80});
  return parsed && parsed->host == target.host && parsed->port == target.port;
}

}  // namespace headroom::relay
