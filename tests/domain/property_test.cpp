#define BOOST_TEST_MODULE domain_properties
#include <boost/test/unit_test.hpp>

#include <random>

#include "domain/adjuster.hpp"
#include "domain/maintenance.hpp"
#include "tests/support/brute_force.hpp"
#include "tests/support/fleet_builder.hpp"

using namespace headroom::domain;
using headroom::testing::at;

namespace {

const instant t0 = at("2026-12-08T00:00:00Z");

/// A small random fleet: tight thresholds, chains, direct devices, services,
/// deadlines, priorities, maintenance windows in several time zones.
fleet random_fleet(std::mt19937_64& rng, std::int64_t horizon_s, bool rollouts) {
  auto between = [&](std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(rng() % (hi - lo + 1)); };
  fleet f;
  f.horizon = interval{t0, t0 + horizon_s};
  const auto proxies = between(1, 3);
  for (int p = 0; p < proxies; ++p) {
    const auto capacity = static_cast<std::int32_t>(between(1, 4));
    f.proxies.push_back({"px-" + std::to_string(p), capacity, static_cast<std::int32_t>(between(1, capacity))});
  }
  const std::vector<std::string> zones{"UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York"};
  const std::vector<std::string> names{"software_distribution", "status_monitoring", "counter_collection"};
  const auto customers = between(1, 3), devices = between(1, 7), jobs = between(2, 14), services = between(0, 3);
  for (int c = 0; c < customers; ++c) {
    customer cu{"c" + std::to_string(c), {}, zones[rng() % zones.size()], {}};
    for (const auto& n : names)
      if (rng() % 4 != 0) cu.services.push_back(n);
    if (rng() % 2) {
      const auto from = static_cast<std::int32_t>(between(0, 23) * 60);
      cu.maintenance_windows.push_back({from, static_cast<std::int32_t>((from + between(1, 8) * 60) % 1440)});
    }
    f.customers.push_back(cu);
  }
  for (int d = 0; d < devices; ++d) {
    device dev{"d" + std::to_string(d), static_cast<index_t>(rng() % f.customers.size()),
               rng() % 6 ? monitoring_mode::proxy : monitoring_mode::direct, {}, ""};
    dev.path.push_back(static_cast<index_t>(rng() % f.proxies.size()));
    if (f.proxies.size() > 1 && rng() % 3 == 0) dev.path.push_back((dev.path[0] + 1) % f.proxies.size());
    f.devices.push_back(dev);
  }
  for (int j = 0; j < jobs; ++j) {
    // Rollouts start jobs at a few shared times, as operators schedule them.
    const instant start = rollouts ? t0 + between(0, 3) * 1800 + (rng() % 3 ? 0 : between(0, 600)) : t0 + between(-600, horizon_s / 2);
    job jb{"j" + std::to_string(j), static_cast<index_t>(rng() % f.devices.size()), "fw", start,
           between(1, 3600), std::nullopt, static_cast<std::int32_t>(between(0, 2))};
    if (rng() % 3 == 0) jb.deadline = jb.start + jb.duration_s + between(0, horizon_s);
    f.jobs.push_back(jb);
  }
  for (int s = 0; s < services; ++s) {
    service_schedule sv;
    if (rng() % 2)
      sv.device = static_cast<index_t>(rng() % f.devices.size());
    else
      sv.customer = static_cast<index_t>(rng() % f.customers.size());
    sv.service = names[1 + rng() % 2];
    sv.every_s = between(60, 7200);
    sv.duration_s = between(1, sv.every_s);
    sv.first_start = t0 + between(-10000, 10000);
    f.services.push_back(sv);
  }
  return f;
}

void check_detection_equals_brute_force(const fleet& f, const schedule& starts, const detection& found) {
  const auto expected = headroom::testing::brute_force_windows(f, starts, *f.horizon);
  BOOST_REQUIRE_EQUAL(found.windows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& w = found.windows[i];
    std::vector<std::string> jobs;
    for (auto j : w.jobs) jobs.push_back(f.jobs[j].id);
    const headroom::testing::reference_window mine{f.proxies[w.proxy].id, w.span, w.peak, w.threshold, jobs};
    BOOST_REQUIRE(mine == expected[i]);
  }
}

/// The rules of claim 7, checked second by second against the brute-force loads.
void check_plan_by_brute_force(const fleet& f, const detection& before, const adjustment_plan& plan) {
  const auto loads = headroom::testing::brute_force_loads(f, plan.starts, *f.horizon);
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
      BOOST_REQUIRE(std::any_of(windows.begin(), windows.end(),
                                [&](const interval& w) { return w.start <= s && s + jb.duration_s <= w.end; }));
    }
    for (index_t p : f.devices[jb.device].path)
      for (instant t = std::max(s, f.horizon->start); t < s + jb.duration_s; ++t)
        BOOST_REQUIRE(loads[p][t - f.horizon->start] <= f.proxies[p].threshold);
  }
  for (index_t j = 0; j < f.jobs.size(); ++j)
    if (!std::binary_search(movable.begin(), movable.end(), j)) BOOST_REQUIRE(plan.starts[j] == f.jobs[j].start);
}

}  // namespace

BOOST_AUTO_TEST_CASE(detection_equals_a_per_second_reference_on_random_fleets) {
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 300; ++round) {
    const fleet f = random_fleet(rng, 4 * 3600, round % 2 == 0);
    BOOST_REQUIRE_MESSAGE(!validate(f), "round " << round);
    const auto starts = requested_schedule(f);
    check_detection_equals_brute_force(f, starts, detect(f, count_communications(f), starts, *f.horizon));
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
      BOOST_REQUIRE(rule_violations(f, before, baseline, detect(f, c, baseline.starts, *f.horizon)).empty());
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
  BOOST_TEST_MESSAGE(moved << " of 300 fleets needed moves; the adjuster beat the baseline on " << improved);
  BOOST_TEST(moved > 60);
  BOOST_TEST(improved > 10);
}
