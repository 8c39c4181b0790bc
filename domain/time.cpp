#include "domain/time.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace headroom::domain {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Reads `width` digits at `pos`; false when any is not a digit.
bool read_number(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!is_digit(text[i])) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool is_leap(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

error bad_time(std::string_view text, std::string why) {
  return {"",
          "'" + std::string(text) + "' is not an RFC 3339 time with an offset: " + std::move(why)};
}

}  // namespace

void sort_and_merge(std::vector<interval>& spans) {
  if (spans.empty()) return;
  std::sort(spans.begin(), spans.end(),
            [](const interval& a, const interval& b) { return a.start < b.start; });
  std::size_t kept = 0;
  for (std::size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].start <= spans[kept].end)
      spans[kept].end = std::max(spans[kept].end, spans[i].end);
    else
      spans[++kept] = spans[i];
  }
  spans.resize(kept + 1);
}

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  // Howard Hinnant's civil-days algorithm: years begin in March so that the leap day is last.
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

expected<instant> parse_rfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_number(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !read_number(text, 5, 2, month) || text[7] != '-' || !read_number(text, 8, 2, day))
    return bad_time(text, "expected YYYY-MM-DD at the start");
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
    return bad_time(text, "expected 'T' between date and time");
  if (!read_number(text, 11, 2, hour) || text[13] != ':' || !read_number(text, 14, 2, minute) ||
      text[16] != ':' || !read_number(text, 17, 2, second))
    return bad_time(text, "expected hh:mm:ss after the date");
  if (month < 1 || month > 12) return bad_time(text, "month out of range");
  if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)))
    return bad_time(text, "day out of range for the month");
  if (hour > 23 || minute > 59 || second > 59)
    return bad_time(text, "time of day out of range (leap seconds are not supported)");
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t digits_from = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == digits_from) return bad_time(text, "expected digits after '.'");
  }
  if (pos >= text.size()) return bad_time(text, "the offset (Z or +hh:mm) is missing");
  int offset_seconds = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int off_hour = 0, off_minute = 0;
    if (!read_number(text, pos + 1, 2, off_hour) || pos + 3 >= text.size() ||
        text[pos + 3] != ':' || !read_number(text, pos + 4, 2, off_minute) || off_hour > 23 ||
        off_minute > 59)
      return bad_time(text, "the offset must be +hh:mm or -hh:mm");
    offset_seconds = (off_hour * 3600 + off_minute * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad_time(text, "the offset (Z or +hh:mm) is missing");
  }
  if (pos != text.size()) return bad_time(text, "unexpected characters after the offset");
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * seconds_per_day + hour * 3600 + minute * 60 + second - offset_seconds;
}

std::string format_utc(instant t) {
  std::int64_t days = t / seconds_per_day;
  std::int64_t rest = t % seconds_per_day;
  if (rest < 0) {
    rest += seconds_per_day;
    --days;
  }
  // Inverse of days_from_civil.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year =
      static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(year), month, day, static_cast<long long>(rest / 3600),
                  static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
    return buffer.data();
  }
  // Digit by digit: snprintf was most of the time of the job lists, three times per job.
  std::string out = "0000-00-00T00:00:00Z";
  const auto put = [&out](std::size_t at, std::size_t width, std::int64_t value) {
    for (std::size_t i = at + width; i-- > at; value /= 10)
      out[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, year);
  put(5, 2, month);
  put(8, 2, day);
  put(11, 2, rest / 3600);
  put(14, 2, rest / 60 % 60);
  put(17, 2, rest % 60);
  return out;
}

expected<int> parse_time_of_day(std::string_view text) {
  int hour = 0, minute = 0;
  if (text.size() != 5 || !read_number(text, 0, 2, hour) || text[2] != ':' ||
      !read_number(text, 3, 2, minute))
    return error{"", "'" + std::string(text) + "' is not a time of day HH:MM"};
  if (hour > 24 || minute > 59 || (hour == 24 && minute != 0))
    return error{"", "'" + std::string(text) + "' is out of range (00:00 to 24:00)"};
  return hour * 60 + minute;
}

std::string format_time_of_day(int minutes) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%02d:%02d", minutes / 60, minutes % 60);
  return buffer.data();
}

}  // namespace headroom::domain
