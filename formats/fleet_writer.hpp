#pragma once

#include <ostream>
#include <string>

#include "domain/fleet.hpp"

namespace headroom::formats {

/// Writes a fleet in the fleet-file format, one array element per line, so that
/// parse_fleet(write) gives the same fleet back.
void write_fleet(const domain::fleet& f, std::ostream& out);

std::string fleet_to_json(const domain::fleet& f);

}  // namespace headroom::formats
