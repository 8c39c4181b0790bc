#define BOOST_TEST_MODULE domain_detection
#include "domain/detection.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/fleet_builder.hpp"

using namespace headroom::domain;
using headroom::test::at;
using headroom::test::fleet_builder;

namespace {

const instant t0 = at("2026-12-08T00:00:00Z");
const interval day{t0, t0 + seconds_per_day};
const std::vector<std::string> distribution{"software_distribution", "status_monitoring",
                                            "counter_collection"};

detection run(const fleet& f) {
  return detect(f, count_communications(f), requested_schedule(f), effective_horizon(f));
}

std::vector<std::string> job_ids(const fleet& f, const overload_window& w) {
  std::vector<std::string> ids;
  for (auto j : w.jobs) ids.push_back(f.jobs[j].id);
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_CASE(flags_window_when_devices_exceed_threshold) {
  fleet_builder b(day);
  b.proxy("px-1", 3, 2).customer("c1", distribution);
  for (const char* d : {"d1", "d2", "d3"}) b.device(d, "c1", {"px-1"});
  b.job("j3", "d3", t0 + 100, 600).job("j1", "d1", t0 + 100, 600).job("j2", "d2", t0 + 300, 100);
  const auto& f = b.get();
  const auto r = run(f);
  BOOST_REQUIRE_EQUAL(r.windows.size(), 1u);
  BOOST_TEST(r.windows[0].span == (interval{t0 + 300, t0 + 400}));
  BOOST_TEST(r.windows[0].peak == 3);
  BOOST_TEST(r.windows[0].threshold == 2);
  BOOST_TEST(job_ids(f, r.windows[0]) == (std::vector<std::string>{"j1", "j2", "j3"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(touching_intervals_do_not_overlap) {
  fleet_builder b(day);
  b.proxy("px-1", 1, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.job("j1", "d1", t0, 600).job("j2", "d2", t0 + 600, 600);
  BOOST_TEST(run(b.get()).windows.empty());
}

BOOST_AUTO_TEST_CASE(device_with_overlapping_job_and_service_counts_once) {
  fleet_builder b(day);
  b.proxy("px-1", 2, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.job("j1", "d1", t0, 600).device_service("d1", "status_monitoring", t0 + 100, 900, 5);
  BOOST_TEST(run(b.get()).windows.empty());
  b.job("j2", "d2", t0 + 50, 100);
  const auto& f = b.get();
  const auto r = run(f);
  BOOST_REQUIRE_EQUAL(r.windows.size(), 1u);
  BOOST_TEST(r.windows[0].span == (interval{t0 + 50, t0 + 150}));
  BOOST_TEST(r.windows[0].peak == 2);
}

BOOST_AUTO_TEST_CASE(overlapping_services_of_one_device_count_once) {
  fleet_builder b(day);
  b.proxy("px-1", 2, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.device_service("d1", "status_monitoring", t0, 600, 60)
      .device_service("d1", "counter_collection", t0 + 30, 600, 60);
  b.device_service("d2", "status_monitoring", t0 + 80, 600, 5);
  const auto r = run(b.get());
  BOOST_TEST(r.windows.size() ==
             144u);  // d1 is active [0, 90) of every 10 minutes: only d2's poll at 80 overlaps
  BOOST_TEST(r.windows[0].span == (interval{t0 + 80, t0 + 85}));
  BOOST_TEST(r.windows[0].peak == 2);
}

BOOST_AUTO_TEST_CASE(chained_proxies_load_every_proxy_on_the_path) {
  fleet_builder b(day);
  b.proxy("px-1", 1, 1).proxy("px-2", 1, 1).customer("c1", distribution);
  b.device("d1", "c1", {"px-2", "px-1"}).device("d2", "c1", {"px-1"}).device("d3", "c1", {"px-2"});
  b.job("j1", "d1", t0, 100).job("j2", "d2", t0 + 50, 100).job("j3", "d3", t0 + 80, 10);
  const auto& f = b.get();
  const auto r = run(f);
  BOOST_REQUIRE_EQUAL(r.windows.size(), 2u);
  BOOST_TEST(f.proxies[r.windows[0].proxy].id == "px-1");
  BOOST_TEST(r.windows[0].span == (interval{t0 + 50, t0 + 100}));
  BOOST_TEST(job_ids(f, r.windows[0]) == (std::vector<std::string>{"j1", "j2"}),
             boost::test_tools::per_element());
  BOOST_TEST(f.proxies[r.windows[1].proxy].id == "px-2");
  BOOST_TEST(r.windows[1].span == (interval{t0 + 80, t0 + 90}));
  BOOST_TEST(job_ids(f, r.windows[1]) == (std::vector<std::string>{"j1", "j3"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(windows_are_clipped_to_the_horizon) {
  fleet_builder b({t0 + 1000, t0 + 2000});
  b.proxy("px-1", 1, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.job("early1", "d1", t0, 1500).job("early2", "d2", t0 + 500, 1000);
  b.job("late1", "d1", t0 + 1900, 500).job("late2", "d2", t0 + 1950, 500);
  const auto& f = b.get();
  const auto r = run(f);
  BOOST_REQUIRE_EQUAL(r.windows.size(), 2u);
  BOOST_TEST(r.windows[0].span == (interval{t0 + 1000, t0 + 1500}));
  BOOST_TEST(r.windows[1].span == (interval{t0 + 1950, t0 + 2000}));
  BOOST_TEST(job_ids(f, r.windows[1]) == (std::vector<std::string>{"late1", "late2"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ignores_direct_devices_and_customers_without_contract_with_reason) {
  fleet_builder b(day);
  b.proxy("px-1", 1, 1).customer("c1", distribution).customer("c2", {"counter_collection"});
  b.device("d1", "c1", {}).device("d2", "c2", {"px-1"}).device("d3", "c1", {"px-1"});
  b.job("j1", "d1", t0, 100).job("j2", "d2", t0, 100).job("j3", "d3", t0, 100);
  const auto& f = b.get();
  const auto c = count_communications(f);
  BOOST_REQUIRE_EQUAL(c.ignored.size(), 2u);
  BOOST_TEST(c.ignored[0].reason == "device d1 is in direct mode");
  BOOST_TEST(c.ignored[1].reason == "customer c2 has no software_distribution contract");
  BOOST_TEST(run(f).windows.empty());
}

BOOST_AUTO_TEST_CASE(services_count_only_under_contract_and_for_relayed_devices) {
  fleet_builder b(day);
  b.proxy("px-1", 1, 1)
      .customer("c1", {"software_distribution"})
      .customer("c2", {"counter_collection"});
  b.device("d1", "c1", {"px-1"})
      .device("d2", "c2", {"px-1"})
      .device("d3", "c2", {"px-1"})
      .device("d4", "c2", {});
  b.customer_service("c1", "counter_collection", t0, 3600, 60);  // c1 has no counter contract
  b.customer_service("c2", "counter_collection", t0, 3600, 60);  // d2 and d3, not direct d4
  const auto& f = b.get();
  const auto r = run(f);
  BOOST_REQUIRE_EQUAL(r.windows.size(), 24u);
  BOOST_TEST(r.windows[0].peak == 2);
  BOOST_TEST(r.windows[0].jobs.empty());
  BOOST_TEST(r.windows[5].span == (interval{t0 + 5 * 3600, t0 + 5 * 3600 + 60}));
}

BOOST_AUTO_TEST_CASE(services_recur_before_their_first_start_too) {
  fleet_builder b(day);
  b.proxy("px-1", 1, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.device_service("d1", "status_monitoring", t0 + 10 * seconds_per_day + 30, 3600, 10);
  b.job("j1", "d2", t0, 100);
  const auto r = run(b.get());
  BOOST_REQUIRE_EQUAL(r.windows.size(), 1u);
  BOOST_TEST(r.windows[0].span == (interval{t0 + 30, t0 + 40}));
}

BOOST_AUTO_TEST_CASE(orders_windows_by_proxy_id_then_start) {
  fleet_builder b(day);
  b.proxy("px-b", 1, 1).proxy("px-a", 1, 1).customer("c1", distribution);
  for (const char* d : {"d1", "d2", "d3", "d4"})
    b.device(d, "c1", {std::string(d) < "d3" ? "px-b" : "px-a"});
  b.job("j1", "d1", t0 + 500, 10)
      .job("j2", "d2", t0 + 500, 10)
      .job("j5", "d1", t0 + 100, 10)
      .job("j6", "d2", t0 + 100, 10);
  b.job("j3", "d3", t0 + 900, 10).job("j4", "d4", t0 + 900, 10);
  const auto& f = b.get();
  const auto r = run(f);
  BOOST_REQUIRE_EQUAL(r.windows.size(), 3u);
  BOOST_TEST(f.proxies[r.windows[0].proxy].id == "px-a");
  BOOST_TEST(f.proxies[r.windows[1].proxy].id == "px-b");
  BOOST_TEST(r.windows[1].span.start == t0 + 100);
  BOOST_TEST(r.windows[2].span.start == t0 + 500);
}

BOOST_AUTO_TEST_CASE(window_jobs_are_sorted_by_id_even_when_listed_out_of_order) {
  fleet_builder b(day);
  b.proxy("px-1", 1, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.job("z9", "d1", t0, 100).job("a1", "d2", t0, 100).job("m5", "d1", t0 + 50, 10);
  const auto& f = b.get();
  const auto r = run(f);
  BOOST_REQUIRE_EQUAL(r.windows.size(), 1u);
  BOOST_TEST(job_ids(f, r.windows[0]) == (std::vector<std::string>{"a1", "m5", "z9"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(patterns_that_never_overlap_are_recognised) {
  BOOST_TEST(never_overlap({0, 10, 2}, {5, 10, 2}));
  BOOST_TEST(never_overlap({0, 10, 2}, {2, 10, 2}));  // touching
  BOOST_TEST(never_overlap({0, 10, 2}, {8, 10, 2}));  // touching the next
  BOOST_TEST(!never_overlap({0, 10, 2}, {1, 10, 2}));
  BOOST_TEST(!never_overlap({0, 10, 2}, {9, 10, 2}));
  BOOST_TEST(!never_overlap({0, 900, 5}, {3, 86400, 30}));  // gcd 900: the daily one hits a poll
  BOOST_TEST(never_overlap({0, 900, 5}, {100, 86400, 30}));
}

BOOST_AUTO_TEST_CASE(horizon_defaults_follow_the_jobs) {
  fleet_builder b(day);
  b.proxy("px-1", 1, 1).customer("c1", distribution).device("d1", "c1", {"px-1"});
  b.job("j1", "d1", t0 + 100, 50).job("j2", "d1", t0 + 10, 50);
  fleet f = b.get();
  f.horizon.reset();
  BOOST_TEST(effective_horizon(f) == (interval{t0 + 10, t0 + 150 + 7 * seconds_per_day}));
  f.jobs[0].deadline = t0 + 5000;
  BOOST_TEST(effective_horizon(f) == (interval{t0 + 10, t0 + 5000}));
}
