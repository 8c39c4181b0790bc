#define BOOST_TEST_MODULE domain_maintenance
#include "domain/maintenance.hpp"

#include <date/tz.h>

#include <boost/test/unit_test.hpp>

#include "tests/support/fleet_builder.hpp"

using namespace headroom::domain;
using headroom::test::at;

namespace {
customer with_windows(std::string zone, std::vector<local_window> windows) {
  return {"c", {}, std::move(zone), std::move(windows)};
}
}  // namespace

BOOST_AUTO_TEST_CASE(daily_window_in_local_time) {
  const auto c = with_windows("Europe/Berlin", {{60, 300}});  // 01:00-05:00 CET = 00:00-04:00Z
  const auto w =
      maintenance_occurrences(c, {at("2026-12-08T00:00:00Z"), at("2026-12-10T00:00:00Z")});
  BOOST_REQUIRE_EQUAL(w.size(), 2u);
  BOOST_TEST(format_utc(w[0].start) == "2026-12-08T00:00:00Z");
  BOOST_TEST(format_utc(w[0].end) == "2026-12-08T04:00:00Z");
  BOOST_TEST(format_utc(w[1].start) == "2026-12-09T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(window_across_midnight_belongs_to_the_day_it_starts) {
  const auto c = with_windows("UTC", {{22 * 60, 4 * 60}});
  const auto w =
      maintenance_occurrences(c, {at("2026-12-08T00:00:00Z"), at("2026-12-09T00:00:00Z")});
  BOOST_REQUIRE_EQUAL(w.size(), 2u);
  BOOST_TEST(format_utc(w[0].start) == "2026-12-07T22:00:00Z");  // yesterday's, still open at 00:00
  BOOST_TEST(format_utc(w[0].end) == "2026-12-08T04:00:00Z");
  BOOST_TEST(format_utc(w[1].start) == "2026-12-08T22:00:00Z");
  BOOST_TEST(format_utc(w[1].end) == "2026-12-09T04:00:00Z");
}

BOOST_AUTO_TEST_CASE(follows_daylight_saving_time) {
  // Berlin switches to CEST at 2026-03-29 02:00 local; 01:00-05:00 local is then 00:00Z-03:00Z (3 h
  // long).
  const auto c = with_windows("Europe/Berlin", {{60, 300}});
  const auto w =
      maintenance_occurrences(c, {at("2026-03-28T00:00:00Z"), at("2026-03-30T12:00:00Z")});
  BOOST_REQUIRE_EQUAL(w.size(), 3u);
  BOOST_TEST(format_utc(w[0].start) == "2026-03-28T00:00:00Z");
  BOOST_TEST(format_utc(w[0].end) == "2026-03-28T04:00:00Z");
  BOOST_TEST(format_utc(w[1].start) == "2026-03-29T00:00:00Z");
  BOOST_TEST(format_utc(w[1].end) == "2026-03-29T03:00:00Z");
  BOOST_TEST(format_utc(w[2].start) == "2026-03-29T23:00:00Z");
  BOOST_TEST(format_utc(w[2].end) == "2026-03-30T03:00:00Z");
}

BOOST_AUTO_TEST_CASE(boundary_in_the_skipped_hour_moves_to_the_end_of_the_gap) {
  // 02:30 does not exist in Berlin on 2026-03-29: the window opens at 03:00 CEST = 01:00Z.
  const auto c = with_windows("Europe/Berlin", {{150, 300}});
  const auto w =
      maintenance_occurrences(c, {at("2026-03-29T00:00:00Z"), at("2026-03-29T12:00:00Z")});
  BOOST_REQUIRE_EQUAL(w.size(), 1u);
  BOOST_TEST(format_utc(w[0].start) == "2026-03-29T01:00:00Z");
  BOOST_TEST(format_utc(w[0].end) == "2026-03-29T03:00:00Z");
}

BOOST_AUTO_TEST_CASE(autumn_change_lengthens_the_night_window) {
  // Berlin returns to CET at 2026-10-25 03:00 CEST: 01:00-05:00 local is 23:00Z-04:00Z (5 h).
  const auto c = with_windows("Europe/Berlin", {{60, 300}});
  const auto w =
      maintenance_occurrences(c, {at("2026-10-24T23:30:00Z"), at("2026-10-25T01:00:00Z")});
  BOOST_REQUIRE_EQUAL(w.size(), 1u);
  BOOST_TEST(format_utc(w[0].start) == "2026-10-24T23:00:00Z");
  BOOST_TEST(format_utc(w[0].end) == "2026-10-25T04:00:00Z");
}

BOOST_AUTO_TEST_CASE(no_windows_means_none) {
  BOOST_TEST(maintenance_occurrences(with_windows("UTC", {}), {0, seconds_per_day}).empty());
}

BOOST_AUTO_TEST_CASE(knows_which_time_zones_exist) {
  BOOST_TEST(time_zone_exists("Asia/Tokyo"));
  BOOST_TEST(!time_zone_exists("Mars/Olympus_Mons"));
}

BOOST_AUTO_TEST_CASE(an_unknown_zone_falls_back_only_when_the_caller_names_a_fallback) {
  BOOST_TEST(find_time_zone("Asia/Tokyo")->name() == "Asia/Tokyo");
  BOOST_TEST(find_time_zone("Mars/Olympus_Mons") == nullptr);
  BOOST_TEST(find_time_zone("Mars/Olympus_Mons", "UTC")->name() == "UTC");
  BOOST_TEST(find_time_zone("Asia/Tokyo", "UTC")->name() == "Asia/Tokyo");
  BOOST_TEST(find_time_zone("Mars/Olympus_Mons", "Mars/Elysium") == nullptr);
}

BOOST_AUTO_TEST_CASE(local_time_to_utc_uses_the_zone_offset) {
  const auto day = days_from_civil(2026, 12, 8);
  BOOST_TEST(format_utc(local_time_to_utc("Asia/Tokyo", day, 2 * 60)) == "2026-12-07T17:00:00Z");
  BOOST_TEST(format_utc(local_time_to_utc("America/New_York", day, 2 * 60)) ==
             "2026-12-08T07:00:00Z");
}
