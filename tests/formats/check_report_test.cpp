#define BOOST_TEST_MODULE formats_check_report
#include "formats/check_report.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/fleet_builder.hpp"

using namespace headroom;
using test::at;

namespace {

struct checked {
  domain::fleet f;
  domain::counting c;
  formats::check_result r;

  explicit checked(domain::fleet fleet, bool adjust)
      : f(std::move(fleet)),
        c(domain::count_communications(f)),
        r{f, c, *f.horizon, {}, std::nullopt, std::nullopt} {
    r.before = domain::detect(f, c, domain::requested_schedule(f), r.horizon);
    if (!adjust) return;
    r.plan = domain::adjust(f, c, r.before);
    r.after = domain::detect(f, c, r.plan->starts, r.horizon);
  }
};

domain::fleet small() {
  const auto t0 = at("2026-12-08T01:00:00Z");
  test::fleet_builder b({t0, t0 + 86400});
  b.proxy("px-1", 1, 1)
      .customer("c1", {"software_distribution"})
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.device("d3", "c1", {});
  b.job("j1", "d1", t0, 600).job("j2", "d2", t0, 600).job("j3", "d3", t0, 600);
  return b.get();
}

}  // namespace

BOOST_AUTO_TEST_CASE(json_has_exactly_the_documented_shape) {
  checked x(small(), true);
  std::ostringstream out;
  formats::write_check_json(x.r, out);
  const auto report = nlohmann::json::parse(out.str());
  const auto expected = nlohmann::json::parse(R"({
    "windows": [{"proxy": "px-1", "start": "2026-12-08T01:00:00Z", "end": "2026-12-08T01:10:00Z",
                 "peak": 2, "threshold": 1, "jobs": ["j1", "j2"]}],
    "ignored_jobs": [{"job": "j3", "reason": "device d3 is in direct mode"}],
    "adjustments": [{"job": "j2", "from": "2026-12-08T01:00:00Z", "to": "2026-12-08T01:10:00Z"}],
    "unschedulable": [],
    "windows_after": []})");
  BOOST_TEST(report == expected, report.dump());
}

BOOST_AUTO_TEST_CASE(json_without_adjust_has_only_windows_and_ignored_jobs) {
  checked x(small(), false);
  std::ostringstream out;
  formats::write_check_json(x.r, out);
  const auto report = nlohmann::json::parse(out.str());
  BOOST_TEST(report.size() == 2u);
  BOOST_TEST(report.contains("windows"));
  BOOST_TEST(report.contains("ignored_jobs"));
}

BOOST_AUTO_TEST_CASE(table_shows_windows_and_moves_for_a_person) {
  checked x(small(), true);
  std::ostringstream out;
  formats::write_check_table(x.r, out);
  const std::string table = out.str();
  BOOST_TEST(table.find("Overload windows: 1 on 1 of 1 proxies") != std::string::npos, table);
  BOOST_TEST(table.find("px-1   2026-12-08T01:00:00Z  2026-12-08T01:10:00Z") != std::string::npos,
             table);
  BOOST_TEST(table.find("2/1") != std::string::npos);
  BOOST_TEST(table.find("1 moved, 0 unschedulable") != std::string::npos, table);
  BOOST_TEST(table.find("Overload windows after adjustment: 0") != std::string::npos, table);
}
