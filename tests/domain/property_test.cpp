#define BOOST_TEST_MODULE domain_properties
#include <boost/test/unit_test.hpp>
#include <random>

#include "domain/adjuster.hpp"
#include "domain/maintenance.hpp"
#include "tests/support/brute_force.hpp"
#include "tests/support/fleet_builder.hpp"
#include "tests/support/random_fleet.hpp"

using namespace headroom::domain;
using headroom::test::at;

namespace {

using headroom::test::random_fleet;

void check_detection_equals_brute_force(const fleet& f, const schedule& starts,
                                        const detection& found) {
  const auto expected = headroom::test::brute_force_windows(f, starts, *f.horizon);
  BOOST_REQUIRE_EQUAL(found.windows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& w = found.windows[i];
    std::vector<std::string> jobs;
    for (auto j : w.jobs) jobs.push_back(f.jobs[j].id);
    const headroom::test::reference_window mine{f.proxies[w.proxy].id, w.span, w.peak, w.threshold,
                                                jobs};
    BOOST_REQUIRE(mine == expected[i]);
  }
}

/// The rules of claim 7, checked second by second against the brute-force loads.
void check_plan_by_brute_force(const fleet& f, const detection& before,
                               const adjustment_plan& plan) {
  const auto loads = headroom::test::brute_force_loads(f, plan.starts, *f.horizon);
  const auto movable = movable_jobs(before);
  for (index_t j : movable) {
    const job& jb = f.jobs[j];
    const instant s = plan.starts[j];
    if (s == unscheduled) continue;
    BOOST_REQUIRE(s >= jb.start);
    BOOST_REQUIRE(s + jb.duration_s <= f.horizon->end);
    if (jb.deadline) BOOST_REQUIRE(s + jb.duration_s <= *jb.deadline);
    const auto& cu = f.customers[f.devices[jb.device].customer];
    if (s != jb.start && !cu.maintenance_windows.empty()) {
      const auto windows = maintenance_occurrences(cu, {s, s + jb.duration_s});
      BOOST_REQUIRE(std::any_of(windows.begin(), windows.end(), [&](const interval& w) {
        return w.start <= s && s + jb.duration_s <= w.end;
      }));
    }
    for (index_t p : f.devices[jb.device].path)
      for (instant t = std::max(s, f.horizon->start); t < s + jb.duration_s; ++t)
        BOOST_REQUIRE(loads[p][t - f.horizon->start] <= f.proxies[p].threshold);
  }
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (!std::binary_search(movable.begin(), movable.end(), j))
      BOOST_REQUIRE(plan.starts[j] == f.jobs[j].start);
}

}  // namespace

BOOST_AUTO_TEST_CASE(detection_equals_a_per_second_reference_on_random_fleets) {
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 300; ++round) {
    const fleet f = random_fleet(rng, 4 * 3600, round % 2 == 0);
    BOOST_REQUIRE_MESSAGE(!validate(f), "round " << round);
    const auto starts = requested_schedule(f);
    check_detection_equals_brute_force(f, starts,
                                       detect(f, count_communications(f), starts, *f.horizon));
  }
}

BOOST_AUTO_TEST_CASE(every_adjustment_keeps_the_rules_and_beats_the_baseline) {
  std::mt19937_64 rng(7);
  int improved = 0, moved = 0;
  for (int round = 0; round < 300; ++round) {
    const fleet f = random_fleet(rng, 2 * seconds_per_day, true);
    const auto c = count_communications(f);
    const auto before = detect(f, c, requested_schedule(f), *f.horizon);
    const auto plan = adjust(f, c, before);
    const auto baseline = place_in_order(f, c, before, placement_order::requested);
    const auto after = detect(f, c, plan.starts, *f.horizon);
    BOOST_TEST_CONTEXT("round " << round) {
      BOOST_REQUIRE(rule_violations(f, before, plan, after).empty());
      BOOST_REQUIRE(
          rule_violations(f, before, baseline, detect(f, c, baseline.starts, *f.horizon)).empty());
      check_plan_by_brute_force(f, before, plan);
      check_detection_equals_brute_force(f, plan.starts, after);
      BOOST_REQUIRE(plan.unschedulable.size() <= baseline.unschedulable.size());
      if (plan.unschedulable.size() == baseline.unschedulable.size())
        BOOST_REQUIRE(plan.total_displacement_s <= baseline.total_displacement_s);
      BOOST_REQUIRE(plan.displacement_lower_bound_s <= plan.total_displacement_s);
    }
    moved += plan.moved.empty() ? 0 : 1;
    improved += plan.total_displacement_s < baseline.total_displacement_s ? 1 : 0;
  }
  BOOST_TEST_MESSAGE(moved << " of 300 fleets needed moves; the adjuster beat the baseline on "
                           << improved);
  BOOST_TEST(moved > 60);
  BOOST_TEST(improved > 10);
}

// Leaving jobs out of a built profile is building it again without them, and the
// adjuster planning on the load it derives so makes the same plan.
BOOST_AUTO_TEST_CASE(a_profile_without_some_jobs_equals_the_profile_built_without_them) {
  std::mt19937_64 rng(43);
  for (int round = 0; round < 300; ++round) {
    const fleet f = random_fleet(rng, 2 * seconds_per_day, round % 2 == 0);
    const auto c = count_communications(f);
    auto starts = requested_schedule(f);
    for (auto& s : starts)
      if (rng() % 4 == 0) s = rng() % 2 ? unscheduled : s + static_cast<instant>(rng() % 7200);
    std::vector<index_t> left_out;
    for (index_t j = 0; j < f.jobs.size(); ++j)
      if (rng() % 3 == 0) left_out.push_back(j);
    auto without = starts;
    for (index_t j : left_out) without[j] = unscheduled;
    BOOST_TEST_CONTEXT("round " << round) {
      const auto built = build_load_profile(f, c, starts, *f.horizon);
      BOOST_REQUIRE(without_jobs(f, c, starts, built, left_out).proxies ==
                    build_load_profile(f, c, without, *f.horizon).proxies);
      const auto before = detect(f, c, requested_schedule(f), *f.horizon);
      const auto plan = adjust(f, c, before);
      const auto derived = adjust(f, c, before, &before.profile);
      BOOST_REQUIRE(plan.starts == derived.starts);
      BOOST_REQUIRE(plan.total_displacement_s == derived.total_displacement_s);
      BOOST_REQUIRE(plan.displacement_lower_bound_s == derived.displacement_lower_bound_s);
    }
  }
}
