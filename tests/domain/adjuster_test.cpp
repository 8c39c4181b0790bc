#define BOOST_TEST_MODULE domain_adjuster
#include "domain/adjuster.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/fleet_builder.hpp"

using namespace headroom::domain;
using headroom::test::at;
using headroom::test::fleet_builder;

namespace {

const instant t0 = at("2026-12-08T00:00:00Z");
const interval two_days{t0, t0 + 2 * seconds_per_day};
const std::vector<std::string> contract{"software_distribution", "status_monitoring"};
const local_window one_to_five{60, 300};

struct outcome {
  fleet f;
  detection before;
  adjustment_plan plan;
  detection after;

  [[nodiscard]] instant start_of(const std::string& id) const {
    for (index_t j = 0; j < f.jobs.size(); ++j)
      if (f.jobs[j].id == id) return plan.starts[j];
    throw std::invalid_argument(id);
  }
  [[nodiscard]] std::vector<std::string> broken() const {
    return rule_violations(f, before, plan, after);
  }
};

outcome adjusted(const fleet& f, bool baseline = false) {
  outcome o{f, {}, {}, {}};
  const auto c = count_communications(o.f);
  const auto h = effective_horizon(o.f);
  o.before = detect(o.f, c, requested_schedule(o.f), h);
  o.plan = baseline ? place_in_order(o.f, c, o.before, placement_order::requested)
                    : adjust(o.f, c, o.before);
  o.after = detect(o.f, c, o.plan.starts, h);
  return o;
}

fleet_builder two_devices_one_slot(std::vector<local_window> windows) {
  fleet_builder b(two_days);
  b.proxy("px-1", 1, 1).customer("c1", contract, "UTC", std::move(windows));
  b.device("d1", "c1", {"px-1"}).device("d2", "c1", {"px-1"});
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(moves_the_second_job_to_the_next_free_time_in_the_window) {
  auto b = two_devices_one_slot({one_to_five});
  b.job("j1", "d1", t0 + 3600, 600).job("j2", "d2", t0 + 3600, 600);
  const auto o = adjusted(b.get());
  BOOST_TEST(o.before.windows.size() == 1u);
  BOOST_TEST(o.start_of("j1") == t0 + 3600);
  BOOST_TEST(o.start_of("j2") == t0 + 4200);
  BOOST_REQUIRE_EQUAL(o.plan.moved.size(), 1u);
  BOOST_TEST(o.plan.total_displacement_s == 600);
  BOOST_TEST(o.after.windows.empty());
  BOOST_TEST(o.broken().empty());
}

BOOST_AUTO_TEST_CASE(a_job_left_at_its_requested_start_needs_no_window) {
  auto b = two_devices_one_slot({one_to_five});
  b.job("j1", "d1", t0 + 10 * 3600, 600).job("j2", "d2", t0 + 10 * 3600, 600);
  const auto o = adjusted(b.get());
  BOOST_TEST(o.start_of("j1") == t0 + 10 * 3600);               // stays outside the window
  BOOST_TEST(o.start_of("j2") == t0 + seconds_per_day + 3600);  // next night's window
  BOOST_TEST(o.broken().empty());
}

BOOST_AUTO_TEST_CASE(reports_a_job_it_cannot_place_before_its_deadline) {
  auto b = two_devices_one_slot({one_to_five});
  b.job("j1", "d1", t0 + 10 * 3600, 600, std::nullopt, 1)
      .job("j2", "d2", t0 + 10 * 3600, 600, t0 + 12 * 3600);
  const auto o = adjusted(b.get());
  BOOST_REQUIRE_EQUAL(o.plan.unschedulable.size(), 1u);
  BOOST_TEST(o.f.jobs[o.plan.unschedulable[0].job].id == "j2");
  BOOST_TEST(
      o.plan.unschedulable[0].reason ==
      "no maintenance window of customer c1 (UTC) between its requested start and its deadline "
      "2026-12-08T12:00:00Z is long enough for its 600 s");
  BOOST_TEST(o.start_of("j2") == unscheduled);
  BOOST_TEST(o.after.windows.empty());  // left out of the load
  BOOST_TEST(o.broken().empty());
}

BOOST_AUTO_TEST_CASE(reports_a_job_that_ends_after_its_deadline_even_as_requested) {
  auto b = two_devices_one_slot({});
  b.job("j1", "d1", t0, 600).job("j2", "d2", t0, 600, t0 + 300);
  const auto o = adjusted(b.get());
  BOOST_REQUIRE_EQUAL(o.plan.unschedulable.size(), 1u);
  BOOST_TEST(o.plan.unschedulable[0].reason ==
             "cannot end by its deadline 2026-12-08T00:05:00Z even at its requested start");
}

BOOST_AUTO_TEST_CASE(higher_priority_keeps_its_requested_start) {
  auto b = two_devices_one_slot({});
  b.job("j1", "d1", t0, 600).job("j2", "d2", t0, 600, std::nullopt, 2);
  const auto o = adjusted(b.get());
  BOOST_TEST(o.start_of("j2") == t0);
  BOOST_TEST(o.start_of("j1") == t0 + 600);
}

BOOST_AUTO_TEST_CASE(fits_a_window_across_midnight) {
  auto b = two_devices_one_slot({{22 * 60, 4 * 60}});
  b.job("j1", "d1", t0 + 23 * 3600 + 3000, 1200).job("j2", "d2", t0 + 23 * 3600 + 3000, 1200);
  const auto o = adjusted(b.get());
  BOOST_TEST(o.start_of("j2") == t0 + 23 * 3600 + 4200);  // 00:10 the next day, same occurrence
  BOOST_TEST(o.broken().empty());
}

BOOST_AUTO_TEST_CASE(fits_the_shorter_night_window_of_the_spring_dst_change) {
  // Berlin 01:00-05:00 local is 00:00Z-03:00Z on 2026-03-29 (clocks jump 02:00 -> 03:00).
  const instant day = at("2026-03-28T00:00:00Z");
  fleet_builder b({day, day + 3 * seconds_per_day});
  b.proxy("px-1", 1, 1).customer("c1", contract, "Europe/Berlin", {one_to_five});
  b.device("d1", "c1", {"px-1"}).device("d2", "c1", {"px-1"}).device("d3", "c1", {"px-1"});
  // Requested at 00:00Z on the change day, 1.5 h each: only two fit before 03:00Z.
  const instant change_day = at("2026-03-29T00:00:00Z");
  b.job("j1", "d1", change_day, 5400)
      .job("j2", "d2", change_day, 5400)
      .job("j3", "d3", change_day, 5400);
  const auto o = adjusted(b.get());
  BOOST_TEST(o.start_of("j1") == change_day);
  BOOST_TEST(o.start_of("j2") == change_day + 5400);           // ends 03:00Z = 05:00 CEST
  BOOST_TEST(o.start_of("j3") == at("2026-03-29T23:00:00Z"));  // next night, 01:00 CEST
  BOOST_TEST(o.broken().empty());
}

BOOST_AUTO_TEST_CASE(steps_around_other_services_that_fill_the_proxy) {
  auto b = two_devices_one_slot({});
  b.device("d3", "c1", {"px-1"}).device_service("d3", "status_monitoring", t0 + 700, 3600, 100);
  b.job("j1", "d1", t0, 600).job("j2", "d2", t0, 600);
  const auto o = adjusted(b.get());
  BOOST_TEST(o.start_of("j2") == t0 + 800);  // [600, 700) is too short before d3's poll
  BOOST_TEST(o.broken().empty());
}

BOOST_AUTO_TEST_CASE(needs_room_on_every_proxy_of_a_chain) {
  fleet_builder b(two_days);
  b.proxy("px-1", 1, 1).proxy("px-2", 1, 1).customer("c1", contract);
  b.device("d1", "c1", {"px-1"}).device("d2", "c1", {"px-2", "px-1"}).device("d3", "c1", {"px-2"});
  b.job("j1", "d1", t0, 600).job("j2", "d2", t0, 600).job("j3", "d3", t0 + 600, 600);
  const auto o = adjusted(b.get());
  BOOST_TEST(o.start_of("j1") == t0);
  BOOST_TEST(o.start_of("j2") == t0 + 1200);  // px-1 is free at 600, px-2 only at 1200
  BOOST_TEST(o.after.windows.empty());
  BOOST_TEST(o.broken().empty());
}

BOOST_AUTO_TEST_CASE(is_never_worse_than_the_baseline_and_can_be_better) {
  // Baseline order (by start) lets the long job take the slot; shortest-first moves less in total.
  fleet_builder b(two_days);
  b.proxy("px-1", 1, 1).customer("c1", contract);
  for (const char* d : {"d1", "d2", "d3"}) b.device(d, "c1", {"px-1"});
  b.job("a-long", "d1", t0, 3000)
      .job("b-short", "d2", t0 + 1, 100)
      .job("c-short", "d3", t0 + 2, 100);
  const auto base = adjusted(b.get(), true);
  const auto best = adjusted(b.get());
  BOOST_TEST(best.plan.unschedulable.size() <= base.plan.unschedulable.size());
  BOOST_TEST(best.plan.total_displacement_s < base.plan.total_displacement_s);
  BOOST_TEST(best.broken().empty());
  BOOST_TEST(base.broken().empty());
}

BOOST_AUTO_TEST_CASE(rule_checker_catches_a_broken_plan) {
  auto b = two_devices_one_slot({one_to_five});
  b.job("j1", "d1", t0 + 3600, 600).job("j2", "d2", t0 + 3600, 600);
  auto o = adjusted(b.get());
  o.plan.starts[1] = t0 + 3000;  // earlier than requested and overlapping nothing
  o.after = detect(o.f, count_communications(o.f), o.plan.starts, two_days);
  const auto broken = o.broken();
  BOOST_TEST(!broken.empty());
  BOOST_TEST(broken.front() == "job j2 starts before its requested start");
  o.plan.starts[1] = t0 + 3600;  // back into the overload
  o.after = detect(o.f, count_communications(o.f), o.plan.starts, two_days);
  BOOST_TEST(o.broken().size() >= 2u);
}
