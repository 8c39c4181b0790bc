#define BOOST_TEST_MODULE domain_time
#include "domain/time.hpp"

#include <boost/test/unit_test.hpp>
#include <random>

using namespace headroom::domain;

BOOST_AUTO_TEST_CASE(parses_utc_and_offsets_to_the_same_instant) {
  const auto utc = parse_rfc3339("2026-12-08T01:00:00Z");
  const auto berlin = parse_rfc3339("2026-12-08T02:00:00+01:00");
  const auto new_york = parse_rfc3339("2026-12-07T20:00:00-05:00");
  BOOST_REQUIRE(utc && berlin && new_york);
  BOOST_TEST(*utc == *berlin);
  BOOST_TEST(*utc == *new_york);
  BOOST_TEST(*utc == 1796691600);
}

BOOST_AUTO_TEST_CASE(formats_utc_with_z) {
  BOOST_TEST(format_utc(0) == "1970-01-01T00:00:00Z");
  BOOST_TEST(format_utc(1796691600) == "2026-12-08T01:00:00Z");
  BOOST_TEST(format_utc(-1) == "1969-12-31T23:59:59Z");
  BOOST_TEST(format_utc(*parse_rfc3339("2028-02-29T23:59:59Z")) == "2028-02-29T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(round_trips_every_day_of_four_years) {
  const instant first = *parse_rfc3339("2027-01-01T12:34:56Z");
  for (int day = 0; day < 4 * 366; ++day) {
    const instant t = first + day * seconds_per_day;
    const auto back = parse_rfc3339(format_utc(t));
    BOOST_REQUIRE(back);
    BOOST_TEST(*back == t);
  }
}

BOOST_AUTO_TEST_CASE(formats_the_years_at_either_end_and_round_trips_random_instants) {
  const instant year_0 = *parse_rfc3339("0000-01-01T00:00:00Z");
  const instant year_10000 = *parse_rfc3339("9999-12-31T23:59:59Z") + 1;
  BOOST_TEST(format_utc(year_0) == "0000-01-01T00:00:00Z");
  BOOST_TEST(format_utc(year_10000 - 1) == "9999-12-31T23:59:59Z");
  BOOST_TEST(format_utc(year_10000) == "10000-01-01T00:00:00Z");
  BOOST_TEST(format_utc(year_0 - 1) == "-001-12-31T23:59:59Z");
  std::mt19937_64 rng(5);
  for (int i = 0; i < 100'000; ++i) {
    const instant t =
        year_0 + static_cast<instant>(rng() % static_cast<std::uint64_t>(year_10000 - year_0));
    const auto back = parse_rfc3339(format_utc(t));
    BOOST_REQUIRE(back);
    BOOST_TEST(*back == t);
  }
}

BOOST_AUTO_TEST_CASE(truncates_fractional_seconds_and_accepts_lowercase) {
  BOOST_TEST(*parse_rfc3339("2026-12-08T01:00:00.999Z") == *parse_rfc3339("2026-12-08T01:00:00Z"));
  BOOST_TEST(*parse_rfc3339("2026-12-08t01:00:00z") == *parse_rfc3339("2026-12-08T01:00:00Z"));
}

BOOST_AUTO_TEST_CASE(refuses_times_without_offset_or_out_of_range) {
  for (const char* bad :
       {"2026-12-08T01:00:00", "2026-12-08 01:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-12-08T24:00:00Z", "2026-12-08T01:00:60Z", "2026-12-08T01:00:00+1:00",
        "2026-12-08T01:00:00Zjunk", "2026-12-08T01:00:00.Z", "", "tomorrow"}) {
    const auto parsed = parse_rfc3339(bad);
    BOOST_TEST(!parsed, bad);
    if (!parsed) BOOST_TEST(parsed.failure().what.find("RFC 3339") != std::string::npos);
  }
  BOOST_TEST(parse_rfc3339("2026-12-08T01:00:00").failure().what.find("offset") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(parses_times_of_day) {
  BOOST_TEST(*parse_time_of_day("00:00") == 0);
  BOOST_TEST(*parse_time_of_day("22:30") == 22 * 60 + 30);
  BOOST_TEST(*parse_time_of_day("24:00") == 24 * 60);
  for (const char* bad : {"25:00", "1:00", "01:60", "24:01", "0100", "ab:cd"})
    BOOST_TEST(!parse_time_of_day(bad), bad);
  BOOST_TEST(format_time_of_day(22 * 60 + 5) == "22:05");
}

BOOST_AUTO_TEST_CASE(merges_overlapping_and_touching_intervals) {
  std::vector<interval> spans{{50, 60}, {0, 10}, {10, 20}, {5, 8}, {30, 40}, {35, 45}};
  sort_and_merge(spans);
  BOOST_REQUIRE_EQUAL(spans.size(), 3u);
  BOOST_TEST((spans[0] == interval{0, 20}));
  BOOST_TEST((spans[1] == interval{30, 45}));
  BOOST_TEST((spans[2] == interval{50, 60}));
  std::vector<interval> none;
  sort_and_merge(none);
  BOOST_TEST(none.empty());
}
