#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace headroom::distribution {

/// A request target split into its decoded path and its query parameters.
struct target {
  std::string path;
  std::map<std::string, std::string> query;
};

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`); nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Percent-encodes everything but unreserved characters (RFC 3986).
std::string percent_encode(std::string_view text);

/// Parses `a=1&b=2` (a query string or an urlencoded form); nullopt on a bad escape.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view text);

/// Splits `/path?query`; nullopt when an escape is malformed.
std::optional<target> parse_target(std::string_view raw);

}  // namespace headroom::distribution
