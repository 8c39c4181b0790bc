#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/expected.hpp"

namespace headroom::domain {

/// Seconds since 1970-01-01T00:00:00Z. Whole seconds are the model's resolution.
using instant = std::int64_t;

/// A half-open interval of time, [start, end).
struct interval {
  instant start = 0;
  instant end = 0;

  [[nodiscard]] std::int64_t length() const { return end - start; }
  [[nodiscard]] bool empty() const { return end <= start; }
  [[nodiscard]] bool contains(instant t) const { return start <= t && t < end; }
  [[nodiscard]] bool intersects(const interval& other) const {
    return start < other.end && other.start < end;
  }
  friend bool operator==(const interval&, const interval&) = default;
};

inline constexpr std::int64_t seconds_per_day = 86'400;

/// Sorts intervals by start and merges those that overlap or touch, in place.
void sort_and_merge(std::vector<interval>& spans);

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

/// Parses an RFC 3339 date-time that carries an offset (`Z` or `+hh:mm`);
/// fractional seconds are truncated to the whole second.
expected<instant> parse_rfc3339(std::string_view text);

/// Formats as UTC `YYYY-MM-DDTHH:MM:SSZ`.
std::string format_utc(instant t);

/// Parses a local time of day `HH:MM` into minutes after midnight.
expected<int> parse_time_of_day(std::string_view text);

/// Formats minutes after midnight as `HH:MM`.
std::string format_time_of_day(int minutes);

}  // namespace headroom::domain
