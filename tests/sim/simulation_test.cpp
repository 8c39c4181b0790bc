// headroom sim on a fleet small enough to follow by hand (docs/simulation.md states the
// rules used below). T is 10:00; capacities A 2, B 1; thresholds 1; retries 2, 300 s apart.
//
//   d1 -> A     j1 T      600 s   and a status poll at T+100 (every hour, 60 s) while j1 runs
//   d2 -> A     j2 T      600 s
//   d3 -> A, B  j3 T      600 s   (the chained device)
//   d4 -> B     j4 T+300  300 s
//   d5 -> B     j5 T+300  600 s   and a status poll at T+1000 (every hour, 60 s)
//   d6 direct   j6 T      600 s   (ignored: direct mode)
#define BOOST_TEST_MODULE sim_simulation
#include "actors/sim/simulation.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/fleet_builder.hpp"

namespace headroom::sim {
namespace {

using test::at;
const domain::instant T = at("2026-12-01T10:00:00Z");

domain::fleet hand_fleet() {
  test::fleet_builder b({T, T + 4 * 3600});
  b.proxy("A", 2, 1).proxy("B", 1, 1);
  b.customer("acme", {"software_distribution", "status_monitoring"});
  b.device("d1", "acme", {"A"}).device("d2", "acme", {"A"}).device("d3", "acme", {"A", "B"});
  b.device("d4", "acme", {"B"}).device("d5", "acme", {"B"}).device("d6", "acme", {});
  b.job("j1", "d1", T, 600).job("j2", "d2", T, 600).job("j3", "d3", T, 600);
  b.job("j4", "d4", T + 300, 300).job("j5", "d5", T + 300, 600).job("j6", "d6", T, 600);
  b.device_service("d1", "status_monitoring", T + 100, 3600, 60);
  b.device_service("d5", "status_monitoring", T + 1000, 3600, 60);
  return b.get();
}

simulation_result run(const domain::fleet& f) {
  sim_config config;
  config.retries = 2;
  config.retry_after_s = 300;
  config.group_share = {2, 5};  // 0.4 of 5 jobs: groups of 2
  common::progress_lanes lanes(config.strategies.size());
  return simulate(f, *validate(config), lanes, domain::wall_clock::fixed(0));
}

struct expected_row {
  std::int64_t succeeded, failed, refusals, service_refusals, makespan;
  double mean;
  std::int64_t p95, max;
  std::int32_t peak_a, peak_b;
};

void check(const strategy_result& r, const expected_row& e) {
  BOOST_TEST_CONTEXT(to_string(r.which)) {
    BOOST_TEST(r.jobs == 5);
    BOOST_TEST(r.succeeded == e.succeeded);
    BOOST_TEST(r.failed == e.failed);
    BOOST_TEST(r.succeeded + r.failed == r.jobs);
    BOOST_TEST(r.refusals == e.refusals);
    BOOST_TEST(r.service_refusals == e.service_refusals);
    BOOST_TEST(r.makespan_s == e.makespan);
    BOOST_TEST(r.makespan_lower_bound_s == 1800);  // A carries 3 × 600 s at threshold 1
    BOOST_TEST(r.displacement.mean == e.mean);
    BOOST_TEST(r.displacement.p95 == e.p95);
    BOOST_TEST(r.displacement.max == e.max);
    BOOST_TEST(r.peak.at(0) == e.peak_a);
    BOOST_TEST(r.peak.at(1) == e.peak_b);
    BOOST_TEST(r.late == 0);
    BOOST_TEST(r.outcomes.size() == 5u);
  }
}

BOOST_AUTO_TEST_CASE(the_fleet_summary_counts_what_is_simulated) {
  const auto f = hand_fleet();
  const auto result = run(f);
  BOOST_TEST(result.fleet.devices == 6);
  BOOST_TEST(result.fleet.proxies == 2);
  BOOST_TEST(result.fleet.jobs == 5);
  BOOST_TEST(result.fleet.ignored_jobs == 1);
  // Two polls, each at 4 occurrences inside the 4-hour horizon.
  BOOST_TEST(result.fleet.service_occurrences == 8);
  BOOST_TEST(result.strategies.size() == 5u);
}

BOOST_AUTO_TEST_CASE(as_scheduled) {
  // T: j1, j2 take A's two slots; j3 refused (A full). T+100: d1's poll rides on j1.
  // T+300: j3 refused again; j4 takes B; j5 refused (B full). T+600: j1, j2, j4 end; j3's
  // last try is admitted (A, B free) until T+1200; j5 refused. T+900: j5's last try
  // refused: failed. T+1000: d5's poll refused (B holds d3).
  check(run(hand_fleet()).strategies[0], {4, 1, 5, 1, 1200, 150.0, 600, 600, 2, 1});
}

BOOST_AUTO_TEST_CASE(rate_limit) {
  // R = max(1, floor(60 · 5 · 2 ÷ 2700)) = 1 a minute: j1 T, j2 T+60, j3 T+120, j4 T+300,
  // j5 T+360. j3 refused at T+120 and T+420 (A holds d1, d2), j5 refused at T+360 (B holds
  // d4); j5 admitted at T+660 (j4 ended at T+600) until T+1260; j3's last try at T+720
  // refused (B holds d5): failed. d5's poll at T+1000 rides on j5.
  check(run(hand_fleet()).strategies[1], {4, 1, 4, 0, 1260, 105.0, 360, 360, 2, 1});
}

BOOST_AUTO_TEST_CASE(rollout_groups) {
  // Groups of 2 in (start, id) order: {j1, j2}, {j3, j4}, {j5}. The second opens at T+600
  // when j1 and j2 end: j3 admitted until T+1200, j4 refused at T+600 and T+900 (B holds d3),
  // d5's poll refused at T+1000, j4 admitted at T+1200 until T+1500, when the last group
  // opens: j5 until T+2100.
  check(run(hand_fleet()).strategies[2], {5, 0, 2, 1, 2100, 540.0, 1200, 1200, 2, 1});
}

BOOST_AUTO_TEST_CASE(headroom_warn_and_auto) {
  // The plan (every order agrees). The adjuster gives each job a device slot of its own, so
  // j1 does not ride on d1's poll: j1 T+160, j4 T+300, j2 T+760, j3 T+1360 (A is busy until
  // then), j5 T+1960 (B is free 400 s before d5's poll, 300 s after it, then held by j3).
  // Nothing is refused; with exact durations the automatic mode has nothing to correct.
  const auto result = run(hand_fleet());
  for (std::size_t i : {3u, 4u}) {
    check(result.strategies[i], {5, 0, 0, 0, 2560, 788.0, 1660, 1660, 1, 1});
    BOOST_TEST(result.strategies[i].unschedulable == 0);
  }
}

BOOST_AUTO_TEST_CASE(outcomes_say_when_each_job_was_tried_and_ran) {
  const auto result = run(hand_fleet());
  const auto& as_scheduled = result.strategies[0].outcomes;
  const auto& j3 = as_scheduled[2];
  BOOST_TEST(j3.attempts == 3);
  BOOST_TEST(j3.planned == T);
  BOOST_TEST(*j3.start == T + 600);
  BOOST_TEST(*j3.end == T + 1200);
  const auto& j5 = as_scheduled[4];
  BOOST_TEST(j5.attempts == 3);
  BOOST_TEST(!j5.succeeded);
  BOOST_TEST(!j5.start.has_value());
}

}  // namespace
}  // namespace headroom::sim
