#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/fleet.hpp"

namespace date {
class time_zone;
}

namespace headroom::domain {

/// The zone named `name` in this machine's IANA time zone database, or else the one named
/// `fallback`; nullptr when it knows neither. The caller says what an unknown name means:
/// a customer's zone has no fallback (an unknown one is refused when the fleet is read),
/// while the operator pages show UTC rather than fail.
const date::time_zone* find_time_zone(const std::string& name,
                                      const std::optional<std::string>& fallback = std::nullopt);

/// Whether the IANA time zone database on this machine knows `name`.
bool time_zone_exists(const std::string& name);

/// The UTC instant of a local wall-clock time in `zone` (a valid IANA name):
/// `minute` minutes after midnight of the local day `local_day` (days since
/// 1970-01-01), with the same DST choices as maintenance_occurrences.
instant local_time_to_utc(const std::string& zone, std::int64_t local_day, std::int32_t minute);

/// The UTC occurrences of a customer's daily maintenance windows that intersect
/// `range`, sorted and merged. Local times follow the customer's time zone through
/// daylight-saving changes: a boundary that falls in a skipped hour moves to the
/// end of the gap, one that falls in a repeated hour takes its first occurrence.
/// Empty when the customer has no maintenance windows.
std::vector<interval> maintenance_occurrences(const customer& c, interval range);

}  // namespace headroom::domain
