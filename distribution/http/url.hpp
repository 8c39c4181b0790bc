#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/percent.hpp"

namespace headroom::distribution {

/// The routes and pages percent-code with the one coder every role uses.
using common::percent_decode;
using common::percent_encode;

/// A request target split into its decoded path and its query parameters.
struct target {
  std::string path;
  std::map<std::string, std::string> query;
};

/// Parses `a=1&b=2` (a query string or an urlencoded form); nullopt on a bad escape.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view text);

/// Splits `/path?query`; nullopt when an escape is malformed.
std::optional<target> parse_target(std::string_view raw);

}  // namespace headroom::distribution
