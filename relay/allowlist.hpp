#pragma once
// The upstreams this relay serves; everything else gets 403. Never an open proxy:
// there is no catch-all host, and an address that is not public unicast (loopback,
// private, link-local ...) is relayed only to an entry naming that very address.

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/expected.hpp"
#include "relay/request_target.hpp"

namespace headroom::relay {

/// One `HOST:PORT` entry. HOST is a name (`dist.example.com`), a subdomain pattern
/// (`*.example.com`: any name below example.com) or an IP literal (`[::1]` for IPv6);
/// PORT is a number or `*`.
struct allow_entry {
  std::string host;  ///< Lower-case; for a pattern, the suffix after `*.`.
  bool subdomains = false;
  std::optional<boost::asio::ip::address> literal;
  std::optional<std::uint16_t> port;  ///< Empty for `*`.

  [[nodiscard]] std::string text() const;
};

/// Parses `HOST:PORT`; the error says what is wrong with the entry.
domain::expected<allow_entry> parse_allow_entry(std::string_view text);

class allowlist {
 public:
  allowlist() = default;
  explicit allowlist(std::vector<allow_entry> entries) : entries_(std::move(entries)) {}

  /// Parses every entry; the first bad one is the error, its index in `where`.
  static domain::expected<allowlist> parse(const std::vector<std::string>& entries);

  /// 403 unless an entry matches the target's host (or literal) and port, and a literal
  /// outside public unicast is named by an entry.
  [[nodiscard]] std::optional<http_error> check_target(const request_target& target) const;

  /// 403 if a resolved address of a name target is outside public unicast and no
  /// entry names that address and port.
  [[nodiscard]] std::optional<http_error> check_resolved(
      const request_target& target, const boost::asio::ip::address& address) const;

  [[nodiscard]] const std::vector<allow_entry>& entries() const { return entries_; }

 private:
  [[nodiscard]] bool names_address(const boost::asio::ip::address& address,
                                   std::uint16_t port) const;

  std::vector<allow_entry> entries_;
};

}  // namespace headroom::relay
