#include "distribution/api/paging.hpp"

#include "distribution/crypto.hpp"
#include "domain/time.hpp"

namespace headroom::distribution {
namespace {

// Cursors are opaque to clients: a versioned prefix keeps old cursors recognisable
// if the paging key ever changes.
constexpr std::string_view cursor_prefix = "v1:";

/// TEXT as a whole number of at most MAX_DIGITS digits (no sign); none otherwise.
std::optional<std::int64_t> whole_number(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits ||
      text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return std::stoll(std::string(text));
}

}  // namespace

domain::expected<page_request, failure> read_page_request(const target& t,
                                                          const distribution_config& c) {
  page_request p;
  p.limit = c.page_size;
  if (auto it = t.query.find("limit"); it != t.query.end()) {
    const auto& text = it->second;
    const auto limit = whole_number(text, 6);
    if (!limit)
      return failure{failure_kind::invalid, "query.limit",
                     "expected a whole number, got '" + text + "'"};
    p.limit = static_cast<int>(*limit);
    if (p.limit < 1 || p.limit > c.max_page_size)
      return failure{failure_kind::invalid, "query.limit",
                     "must be from 1 to " + std::to_string(c.max_page_size) + ", got " + text};
  }
  if (auto it = t.query.find("cursor"); it != t.query.end()) {
    const auto raw = base64url_decode(it->second);
    const auto bad =
        failure{failure_kind::invalid, "query.cursor", "not a cursor this server handed out"};
    if (!raw || raw->rfind(cursor_prefix, 0) != 0) return bad;
    const auto after = whole_number(std::string_view(*raw).substr(cursor_prefix.size()), 18);
    if (!after) return bad;
    p.after = *after;
  }
  return p;
}

std::optional<std::string> cursor_after(std::optional<std::int64_t> next_after) {
  if (!next_after) return std::nullopt;
  return base64url_encode(std::string(cursor_prefix) + std::to_string(*next_after));
}

std::optional<failure> unknown_parameters(const target& t,
                                          std::initializer_list<const char*> known) {
  for (const auto& [name, value] : t.query) {
    bool ok = false;
    for (const char* k : known) ok = ok || name == k;
    if (!ok) return failure{failure_kind::invalid, "query." + name, "unknown query parameter"};
  }
  return std::nullopt;
}

domain::expected<std::optional<std::int64_t>, failure> count_parameter(const target& t,
                                                                       const char* name) {
  auto it = t.query.find(name);
  if (it == t.query.end()) return std::optional<std::int64_t>{};
  const auto number = whole_number(it->second, 18);
  if (!number)
    return failure{failure_kind::invalid, std::string("query.") + name,
                   "expected a whole number, got '" + it->second + "'"};
  return number;
}

domain::expected<std::optional<std::int64_t>, failure> time_parameter(const target& t,
                                                                      const char* name) {
  auto it = t.query.find(name);
  if (it == t.query.end()) return std::optional<std::int64_t>{};
  auto parsed = domain::parse_rfc3339(it->second);
  if (!parsed)
    return failure{failure_kind::invalid, std::string("query.") + name, parsed.failure().what};
  return std::optional<std::int64_t>(*parsed);
}

}  // namespace headroom::distribution
