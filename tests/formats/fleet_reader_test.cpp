#define BOOST_TEST_MODULE formats_fleet_reader
#include "formats/fleet_reader.hpp"

#include <boost/test/unit_test.hpp>

#include "formats/fleet_writer.hpp"

using namespace headroom;

namespace {

// The example of the fleet-file contract (with px-2 declared, which its chain names).
const std::string example = R"({
  "horizon":   {"from": "2026-12-07T00:00:00Z", "to": "2026-12-12T00:00:00Z"},
  "proxies":   [{"id": "px-1", "capacity": 40, "threshold": 32}, {"id": "px-2", "capacity": 10}],
  "customers": [{"id": "c1", "services": ["software_distribution", "counter_collection"],
                 "time_zone": "Europe/Berlin",
                 "maintenance_windows": [{"from": "01:00", "to": "05:00"}]}],
  "devices":   [{"id": "d1", "customer": "c1", "monitoring_mode": "proxy", "proxy": "px-1"},
                {"id": "d2", "customer": "c1", "monitoring_mode": "proxy", "proxies": ["px-2", "px-1"]}],
  "jobs":      [{"id": "j1", "device": "d1", "package": "fw-5.2.1", "start": "2026-12-08T02:00:00+01:00",
                 "duration_s": 600, "deadline": "2026-12-09T00:00:00Z", "priority": 0}],
  "services":  [{"customer": "c1", "service": "counter_collection",
                 "first_start": "2026-12-06T23:00:00Z", "every_s": 86400, "duration_s": 60},
                {"device": "d2", "service": "status_monitoring",
                 "first_start": "2026-12-06T23:55:10Z", "every_s": 900, "duration_s": 5}]
})";

std::string error_for(const std::string& json) {
  const auto parsed = formats::parse_fleet(json);
  return parsed ? "parsed" : parsed.failure().message();
}

/// The example with one substring replaced.
std::string spoiled(const std::string& from, const std::string& to) {
  std::string copy = example;
  const auto at = copy.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, from);
  return copy.replace(at, from.size(), to);
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_the_contract_example) {
  const auto f = formats::parse_fleet(example);
  BOOST_REQUIRE_MESSAGE(f, (f ? "" : f.failure().message()));
  BOOST_TEST(f->proxies.size() == 2u);
  BOOST_TEST(f->proxies[1].threshold == 10);  // defaults to capacity
  BOOST_TEST(f->customers[0].maintenance_windows[0].from_minute == 60);
  BOOST_TEST(f->devices[1].path == (std::vector<domain::index_t>{1, 0}),
             boost::test_tools::per_element());
  BOOST_TEST(domain::format_utc(f->jobs[0].start) == "2026-12-08T01:00:00Z");
  BOOST_TEST(f->jobs[0].deadline.has_value());
  BOOST_TEST(f->services[0].customer.value() == 0u);
  BOOST_TEST(f->services[1].device.value() == 1u);
}

BOOST_AUTO_TEST_CASE(names_the_json_path_of_every_kind_of_mistake) {
  BOOST_TEST(error_for(spoiled("2026-12-08T02:00:00+01:00", "2026-12-08T02:00:00")) ==
             "jobs[0].start: '2026-12-08T02:00:00' is not an RFC 3339 time with an offset: the "
             "offset (Z or +hh:mm) is missing");
  BOOST_TEST(error_for(spoiled(R"("device": "d1")", R"("device": "d9")")) ==
             "jobs[0].device: unknown device 'd9'");
  BOOST_TEST(error_for(spoiled(R"(["px-2", "px-1"])", R"(["px-2", "px-7"])")) ==
             "devices[1].proxies[1]: unknown proxy 'px-7'");
  BOOST_TEST(error_for(spoiled(R"("customer": "c1", "monitoring_mode": "proxy", "proxy")",
                               R"("customer": "c2", "monitoring_mode": "proxy", "proxy")")) ==
             "devices[0].customer: unknown customer 'c2'");
  BOOST_TEST(error_for(spoiled(R"("threshold": 32)", R"("threshold": 41)")) ==
             "proxies[0].threshold: threshold 41 is above capacity 40");
  BOOST_TEST(error_for(spoiled(R"("threshold": 32)", R"("treshold": 32)")) ==
             "proxies[0].treshold: unknown field");
  BOOST_TEST(error_for(spoiled(R"("capacity": 40)", R"("capacity": "40")")) ==
             "proxies[0].capacity: expected an integer, got a string");
  BOOST_TEST(error_for(spoiled(R"("duration_s": 600)", R"("duration_s": -600)")) ==
             "jobs[0].duration_s: must be positive");
  BOOST_TEST(error_for(spoiled(R"("duration_s": 600, )", "")) == "jobs[0].duration_s: missing");
  BOOST_TEST(error_for(spoiled(R"("id": "d2")", R"("id": "d1")")) ==
             "devices[1].id: duplicate id 'd1'");
  BOOST_TEST(error_for(spoiled("Europe/Berlin", "Europe/Nowhere")) ==
             "customers[0].time_zone: unknown time zone 'Europe/Nowhere'");
  BOOST_TEST(error_for(spoiled(R"({"from": "01:00")", R"({"from": "1 am")")) ==
             "customers[0].maintenance_windows[0].from: '1 am' is not a time of day HH:MM");
  BOOST_TEST(error_for(spoiled(R"("monitoring_mode": "proxy", "proxy")",
                               R"("monitoring_mode": "tunnel", "proxy")")) ==
             "devices[0].monitoring_mode: 'tunnel' is neither \"proxy\" nor \"direct\"");
  BOOST_TEST(error_for(spoiled(R"("proxy": "px-1")", R"("proxy": "px-1", "proxies": ["px-1"])")) ==
             "devices[0]: names both 'proxy' and 'proxies'");
  BOOST_TEST(error_for(spoiled(R"({"customer": "c1", "service")", R"({"service")")) ==
             "services[0]: names exactly one of 'device' and 'customer'");
  BOOST_TEST(error_for(spoiled(R"("every_s": 900)", R"("every_s": 0)")) ==
             "services[1].every_s: must be positive");
  BOOST_TEST(error_for(spoiled(R"("jobs":)", R"("jobz":)")) == "jobz: unknown field");
  BOOST_TEST(error_for("[]") == "expected an object, got an array");
}

BOOST_AUTO_TEST_CASE(says_where_the_json_is_broken) {
  const auto message = error_for(spoiled(R"("priority": 0})", R"("priority": 0,})"));
  BOOST_TEST(message.find("invalid JSON at line 10") == 0u, message);
  BOOST_TEST(error_for("").find("invalid JSON") == 0u);
}

// Found by fuzz_fleet: a number too large for a double in a broken file threw out of the
// reader while it looked for the place of the syntax error.
BOOST_AUTO_TEST_CASE(a_number_out_of_range_is_an_error_with_its_place) {
  const auto message = error_for("{\"horizon\": [1e999");
  BOOST_TEST(message.find("invalid JSON at line 1, column ") == 0u, message);
  BOOST_TEST(message.find("number overflow parsing '1e999'") != std::string::npos, message);
}

// Keys and strings are compared and read as written when they have no escapes; escaped ones
// must still mean what they say, and a broken escape is a JSON error, not a crash.
BOOST_AUTO_TEST_CASE(escaped_keys_and_strings_read_as_unescaped) {
  const auto parsed =
      formats::parse_fleet(spoiled(R"("threshold": 32)", R"("t\u0068reshold": 32)"));
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->proxies[0].threshold == 32);
  const auto id = formats::parse_fleet(spoiled(R"({"id": "px-1")", R"({"id": "px-\u0031")"));
  BOOST_TEST_REQUIRE(id.has_value());
  BOOST_TEST(id->proxies[0].id == "px-1");
  BOOST_TEST(error_for(spoiled(R"("threshold": 32)", R"("thr\eshold": 32)")).find("invalid JSON") !=
             std::string::npos);
  BOOST_TEST(error_for(spoiled(R"("threshold": 32)", R"("thr\u0065sh": 32)")) ==
             "proxies[0].thresh: unknown field");
}

BOOST_AUTO_TEST_CASE(reports_a_missing_file) {
  const auto f = formats::read_fleet_file("/nonexistent/fleet.json");
  BOOST_REQUIRE(!f);
  BOOST_TEST(f.failure().message() == "/nonexistent/fleet.json: cannot read the file");
}

BOOST_AUTO_TEST_CASE(writes_what_it_reads) {
  const auto f = formats::parse_fleet(example);
  BOOST_REQUIRE(f);
  const std::string written = formats::fleet_to_json(*f);
  const auto again = formats::parse_fleet(written);
  BOOST_REQUIRE_MESSAGE(again, (again ? "" : again.failure().message()));
  BOOST_TEST(formats::fleet_to_json(*again) == written);
  BOOST_TEST(again->jobs[0].start == f->jobs[0].start);
  BOOST_TEST(again->devices[1].path == f->devices[1].path, boost::test_tools::per_element());
}
