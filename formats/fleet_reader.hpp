#pragma once

#include <string>
#include <string_view>

#include "domain/expected.hpp"
#include "domain/fleet.hpp"

namespace headroom::formats {

/// Parses a fleet file (docs/fleet-file.md) and validates it whole. The error
/// names the JSON path of the first offending value (`jobs[41].start: ...`).
domain::expected<domain::fleet> parse_fleet(std::string_view json);

/// Reads and parses a fleet file from disk.
domain::expected<domain::fleet> read_fleet_file(const std::string& path);

}  // namespace headroom::formats
