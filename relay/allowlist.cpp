#include "relay/allowlist.hpp"

#include <algorithm>
#include <cctype>

#include "relay/address_classifier.hpp"

namespace headroom::relay {
namespace {

bool port_matches(const allow_entry& entry, std::uint16_t port) {
  return !entry.port || *entry.port == port;
}

bool same_address(const boost::asio::ip::address& a, const boost::asio::ip::address& b) {
  return a == b;
}

}  // namespace

std::string allow_entry::text() const {
  std::string h =
      literal && literal->is_v6() ? "[" + host + "]" : (subdomains ? "*." + host : host);
  return h + ":" + (port ? std::to_string(*port) : "*");
}

domain::expected<allow_entry> parse_allow_entry(std::string_view text) {
  auto fail = [&](std::string what) {
    return domain::error{"", "allow entry '" + std::string(text) + "': " + std::move(what)};
  };
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size())
    return fail("expected HOST:PORT (PORT a number or *)");
  auto host = text.substr(0, colon);
  auto port = text.substr(colon + 1);
  allow_entry entry;
  if (host == "*" || host.empty()) return fail("a catch-all host would make an open proxy");
  bool pattern = host.size() > 2 && host.substr(0, 2) == "*.";
  auto parsed = parse_authority(std::string(pattern ? host.substr(2) : host) + ":" +
                                    (port == "*" ? std::string("1") : std::string(port)),
                                std::nullopt);
  if (!parsed) return fail(parsed.failure().what);
  if (pattern && parsed->literal) return fail("a subdomain pattern needs a name, not an address");
  if (parsed->literal && classify(*parsed->literal) == address_class::ipv4_mapped)
    return fail("IPv4-mapped IPv6 addresses are never relayed; name the IPv4 address");
  entry.host = parsed->host;
  entry.subdomains = pattern;
  entry.literal = parsed->literal;
  if (port != "*") entry.port = parsed->port;
  return entry;
}

domain::expected<allowlist> allowlist::parse(const std::vector<std::string>& entries) {
  std::vector<allow_entry> parsed;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto entry = parse_allow_entry(entries[i]);
    if (!entry) return domain::nest("allow[" + std::to_string(i) + "]", entry.failure());
    parsed.push_back(std::move(*entry));
  }
  return allowlist{std::move(parsed)};
}

bool allowlist::names_address(const boost::asio::ip::address& address, std::uint16_t port) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const allow_entry& e) {
    return e.literal && same_address(*e.literal, address) && port_matches(e, port);
  });
}

std::optional<http_error> allowlist::check_target(const request_target& target) const {
  if (target.literal) {
    if (!names_address(*target.literal, target.port))
      return forbidden(target.authority() + " is not in the allowlist");
    return std::nullopt;
  }
  bool allowed = std::any_of(entries_.begin(), entries_.end(), [&](const allow_entry& e) {
    if (e.literal || !port_matches(e, target.port)) return false;
    if (!e.subdomains) return e.host == target.host;
    return target.host.size() > e.host.size() + 1 && target.host.ends_with("." + e.host);
  });
  if (!allowed) return forbidden(target.authority() + " is not in the allowlist");
  return std::nullopt;
}

std::optional<http_error> allowlist::check_resolved(const request_target& target,
                                                    const boost::asio::ip::address& address) const {
  auto cls = classify(address);
  if (refused_unless_named(cls) && !names_address(address, target.port))
    return forbidden(target.host + " resolves to " + address.to_string() + " (" + to_string(cls) +
                     "), which is not named in the allowlist");
  return std::nullopt;
}

}  // namespace headroom::relay
