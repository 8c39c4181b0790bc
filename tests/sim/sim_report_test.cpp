#define BOOST_TEST_MODULE sim_report
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/report/html_report.hpp"
#include "sim/report/json_report.hpp"
#include "sim/report/outcomes_jsonl.hpp"
#include "sim/report/summary_table.hpp"

using namespace headroom;

namespace {

constexpr domain::instant t0 = 1'796'601'600;  // 2026-12-07T00:00:00Z

/// Two proxies whose index order is not their id order (one id needs escaping in HTML),
/// three jobs, two strategies.
struct small_run {
  domain::fleet fleet;
  sim::simulation_result result;

  small_run() {
    fleet.proxies = {{"px-b", 4, 3}, {"px-<a>", 2, 1}};
    for (int j = 0; j < 3; ++j) {
      domain::job job;
      job.id = "j" + std::to_string(j + 1);
      job.start = t0 + 300 * j;
      job.duration_s = 600;
      fleet.jobs.push_back(job);
    }
    result.fleet = {5, 2, 3, 1, 7};
    result.horizon = {t0, t0 + domain::seconds_per_day};

    sim::strategy_result as_scheduled;
    as_scheduled.which = sim::strategy::as_scheduled;
    as_scheduled.jobs = 3;
    as_scheduled.succeeded = 2;
    as_scheduled.failed = 1;
    as_scheduled.late = 1;
    as_scheduled.refusals = 4;
    as_scheduled.service_refusals = 2;
    as_scheduled.makespan_s = 1800;
    as_scheduled.makespan_lower_bound_s = 1500;
    as_scheduled.displacement = {150.5, 300, 300};
    as_scheduled.peak = {3, 2};
    as_scheduled.outcomes = {{0, t0, 1, t0, t0 + 600, true},
                             {1, t0 + 300, 4, std::nullopt, std::nullopt, false},
                             {2, t0 + 600, 2, t0 + 900, t0 + 1500, true}};
    as_scheduled.load = {t0, 600, {{1, 3, 1}, {2, 2}}};
    as_scheduled.wall_s = 0.25;

    sim::strategy_result rate_limit;
    rate_limit.which = sim::strategy::rate_limit;
    rate_limit.jobs = 3;
    rate_limit.succeeded = 3;
    rate_limit.makespan_s = 2400;
    rate_limit.makespan_lower_bound_s = 1500;
    rate_limit.displacement = {600, 1200, 1200};
    rate_limit.peak = {2, 1};
    rate_limit.outcomes = {{0, t0, 1, t0, t0 + 600, true},
                           {1, t0 + 600, 1, t0 + 600, t0 + 1200, true},
                           {2, t0 + 1800, 1, t0 + 1800, t0 + 2400, true}};
    rate_limit.load = {t0 + 600, 1200, {{2, 1}}};
    result.strategies = {as_scheduled, rate_limit};
  }
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("headroom-sim-report-" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(report, small_run)

BOOST_AUTO_TEST_CASE(json_summary_has_the_documented_shape_with_proxies_by_id) {
  std::ostringstream out;
  sim::write_json(fleet, result, out);
  BOOST_TEST(
      out.str() ==
      R"({"fleet":{"devices":5,"proxies":2,"jobs":3,"ignored_jobs":1,"service_occurrences":7},)"
      R"("strategies":[)"
      R"({"strategy":"as-scheduled","jobs":3,"succeeded":2,"failed":1,"late":1,"unschedulable":0,)"
      R"("refusals":4,"service_refusals":2,"makespan_s":1800,"makespan_lower_bound_s":1500,)"
      R"("displacement_s":{"mean":150.5,"p95":300,"max":300},)"
      R"("proxies":[{"proxy":"px-<a>","peak":2,"capacity":2,"threshold":1},)"
      R"({"proxy":"px-b","peak":3,"capacity":4,"threshold":3}]},)"
      R"({"strategy":"rate-limit","jobs":3,"succeeded":3,"failed":0,"late":0,"unschedulable":0,)"
      R"("refusals":0,"service_refusals":0,"makespan_s":2400,"makespan_lower_bound_s":1500,)"
      R"("displacement_s":{"mean":600.0,"p95":1200,"max":1200},)"
      R"("proxies":[{"proxy":"px-<a>","peak":1,"capacity":2,"threshold":1},)"
      R"({"proxy":"px-b","peak":2,"capacity":4,"threshold":3}]}]})"
      "\n");
}

BOOST_AUTO_TEST_CASE(outcomes_are_one_json_line_per_strategy_and_job) {
  std::ostringstream out;
  sim::write_outcomes(fleet, result, out);
  BOOST_TEST(
      out.str() ==
      R"({"strategy":"as-scheduled","job":"j1","planned":"2026-12-07T00:00:00Z","attempts":1,"start":"2026-12-07T00:00:00Z","end":"2026-12-07T00:10:00Z","outcome":"succeeded"})"
      "\n"
      R"({"strategy":"as-scheduled","job":"j2","planned":"2026-12-07T00:05:00Z","attempts":4,"start":null,"end":null,"outcome":"failed"})"
      "\n"
      R"({"strategy":"as-scheduled","job":"j3","planned":"2026-12-07T00:10:00Z","attempts":2,"start":"2026-12-07T00:15:00Z","end":"2026-12-07T00:25:00Z","outcome":"succeeded"})"
      "\n"
      R"({"strategy":"rate-limit","job":"j1","planned":"2026-12-07T00:00:00Z","attempts":1,"start":"2026-12-07T00:00:00Z","end":"2026-12-07T00:10:00Z","outcome":"succeeded"})"
      "\n"
      R"({"strategy":"rate-limit","job":"j2","planned":"2026-12-07T00:10:00Z","attempts":1,"start":"2026-12-07T00:10:00Z","end":"2026-12-07T00:20:00Z","outcome":"succeeded"})"
      "\n"
      R"({"strategy":"rate-limit","job":"j3","planned":"2026-12-07T00:30:00Z","attempts":1,"start":"2026-12-07T00:30:00Z","end":"2026-12-07T00:40:00Z","outcome":"succeeded"})"
      "\n");
}

BOOST_AUTO_TEST_CASE(outcome_times_match_format_utc_across_days_and_before_1970) {
  for (const domain::instant t : {t0 - 1, t0 + 86'399, t0 + 86'400 * 400 + 3'661, -1L, 0L}) {
    result.strategies = {result.strategies.front()};
    result.strategies.front().outcomes = {{0, t, 1, t, std::nullopt, false}};
    std::ostringstream out;
    sim::write_outcomes(fleet, result, out);
    const auto stamp = "\"" + domain::format_utc(t) + "\"";
    BOOST_TEST(count(out.str(), stamp) == 2u, out.str());
  }
}

BOOST_AUTO_TEST_CASE(json_strings_escape_quotes_backslashes_and_control_characters) {
  std::string out;
  sim::append_json_string(out, "a\"b\\c\nd\x01");
  BOOST_TEST(out == R"("a\"b\\c\u000ad\u0001")");
}

BOOST_AUTO_TEST_CASE(table_has_a_header_and_a_row_per_strategy) {
  std::ostringstream out;
  sim::write_table(fleet, result, out);
  std::istringstream lines(out.str());
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  BOOST_REQUIRE(rows.size() == 3u);
  BOOST_TEST(rows[0].starts_with("STRATEGY"));
  BOOST_TEST(rows[1].starts_with("as-scheduled "));
  BOOST_TEST(rows[2].starts_with("rate-limit "));
  // px-<a> at 2 of 2 is fuller than px-b at 3 of 4.
  BOOST_TEST(rows[1].find("100% px-<a>") != std::string::npos, rows[1]);
  BOOST_TEST(rows[1].find("00:30:00") != std::string::npos, rows[1]);
  // Every row is as wide as the header's columns: the columns line up.
  BOOST_TEST(rows[1].find("0.25 s") == rows[0].size() - 6, out.str());
}

BOOST_AUTO_TEST_CASE(durations_read_as_days_and_clock_time) {
  BOOST_TEST(sim::human_duration(0) == "00:00:00");
  BOOST_TEST(sim::human_duration(3661) == "01:01:01");
  BOOST_TEST(sim::human_duration(2 * 86400 + 3 * 3600 + 600) == "2d 03:10:00");
  BOOST_TEST(sim::human_duration(-90) == "-00:01:30");
}

BOOST_AUTO_TEST_CASE(worst_proxy_ties_go_to_the_smaller_id) {
  auto s = result.strategies.front();
  s.peak = {2, 1};  // px-b 2/4 and px-<a> 1/2: both half full.
  BOOST_TEST(*sim::worst_proxy(fleet, s) == 1u);
}

BOOST_AUTO_TEST_CASE(html_draws_one_chart_per_proxy_asked) {
  const sim::sim_config config;
  for (const auto& [asked, drawn] : {std::pair{1, 1u}, {2, 2u}, {12, 2u}, {0, 0u}}) {
    const auto page = sim::render_html_report(fleet, result, config, {asked});
    BOOST_TEST(count(page, R"(class="proxy-chart")") == drawn, "asked " << asked);
  }
  // The fullest as scheduled comes first: px-<a> at 2 of 2.
  const auto page = sim::render_html_report(fleet, result, config, {1});
  BOOST_TEST(count(page, R"(data-proxy="px-&lt;a&gt;")") == 1u);
  BOOST_TEST(count(page, R"(<tr class="strategy")") == 2u);
}

BOOST_AUTO_TEST_CASE(html_escapes_every_fleet_id) {
  const auto page = sim::render_html_report(fleet, result, sim::sim_config{}, {});
  BOOST_TEST(page.find("px-<a>") == std::string::npos);
  BOOST_TEST(page.find("px-&lt;a&gt;") != std::string::npos);
  BOOST_TEST(page.find("<script") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(html_report_is_written_into_a_new_directory) {
  const auto dir = scratch("new") / "nested";
  const auto path = sim::write_html_report(fleet, result, sim::sim_config{}, {}, dir.string());
  BOOST_REQUIRE(path.has_value());
  BOOST_TEST(*path == (dir / "index.html").string());
  std::ifstream file(*path);
  const std::string text((std::istreambuf_iterator<char>(file)), {});
  BOOST_TEST(text.starts_with("<!DOCTYPE html>"));
  BOOST_TEST(text.ends_with("</html>\n"));
  std::filesystem::remove_all(dir.parent_path());
}

BOOST_AUTO_TEST_CASE(unwritable_directory_is_an_error_value) {
  // Under a regular file: no directory can be made there, even by root.
  const auto base = scratch("blocked");
  std::filesystem::create_directories(base);
  std::ofstream(base / "file") << "x";
  const auto path =
      sim::write_html_report(fleet, result, sim::sim_config{}, {}, (base / "file" / "r").string());
  BOOST_REQUIRE(!path.has_value());
  BOOST_TEST(path.failure().where == (base / "file" / "r").string());
  BOOST_TEST(!path.failure().what.empty());
  std::filesystem::remove_all(base);
}

BOOST_AUTO_TEST_SUITE_END()
