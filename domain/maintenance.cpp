#include "domain/maintenance.hpp"

#include <date/tz.h>

#include <algorithm>
#include <stdexcept>

namespace headroom::domain {
namespace {

instant to_utc(const date::time_zone& zone, date::local_seconds local) {
  return zone.to_sys(local, date::choose::earliest).time_since_epoch().count();
}

const date::time_zone& zone_named(const std::string& name) {
  const date::time_zone* zone = find_time_zone(name);
  if (zone == nullptr) throw std::logic_error("unvalidated time zone " + name);
  return *zone;
}

}  // namespace

const date::time_zone* find_time_zone(const std::string& name,
                                      const std::optional<std::string>& fallback) {
  // locate_zone reports an unknown name with std::runtime_error.
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return fallback ? find_time_zone(*fallback) : nullptr;
  }
}

bool time_zone_exists(const std::string& name) { return find_time_zone(name) != nullptr; }

instant local_time_to_utc(const std::string& zone, std::int64_t local_day, std::int32_t minute) {
  const date::local_seconds local{std::chrono::seconds{local_day * seconds_per_day + minute * 60}};
  return to_utc(zone_named(zone), local);
}

std::vector<interval> maintenance_occurrences(const customer& c, interval range) {
  std::vector<interval> out;
  if (c.maintenance_windows.empty() || range.empty()) return out;
  const date::time_zone* zone = &zone_named(c.time_zone);
  // Local dates from one day before the range (a window crossing midnight) to one after.
  const auto first_day = std::chrono::floor<date::days>(
      zone->to_local(date::sys_seconds{std::chrono::seconds{range.start}}));
  const auto last_day = std::chrono::floor<date::days>(
      zone->to_local(date::sys_seconds{std::chrono::seconds{range.end}}));
  for (auto day = first_day - date::days{1}; day <= last_day; day += date::days{1}) {
    for (const auto& w : c.maintenance_windows) {
      const auto local_from = date::local_seconds{day} + std::chrono::minutes{w.from_minute};
      const int to_minute = w.to_minute <= w.from_minute ? w.to_minute + 24 * 60 : w.to_minute;
      const auto local_to = date::local_seconds{day} + std::chrono::minutes{to_minute};
      const interval occurrence{to_utc(*zone, local_from), to_utc(*zone, local_to)};
      if (!occurrence.empty() && occurrence.intersects(range)) out.push_back(occurrence);
    }
  }
  sort_and_merge(out);
  return out;
}

}  // namespace headroom::domain
