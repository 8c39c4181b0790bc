#pragma once

#include <string>
#include <vector>

#include "domain/fleet.hpp"

namespace headroom::domain {

/// Whether the IANA time zone database on this machine knows `name`.
bool time_zone_exists(const std::string& name);

/// The UTC occurrences of a customer's daily maintenance windows that intersect
/// `range`, sorted and merged. Local times follow the customer's time zone through
/// daylight-saving changes: a boundary that falls in a skipped hour moves to the
/// end of the gap, one that falls in a repeated hour takes its first occurrence.
/// Empty when the customer has no maintenance windows.
std::vector<interval> maintenance_occurrences(const customer& c, interval range);

}  // namespace headroom::domain
