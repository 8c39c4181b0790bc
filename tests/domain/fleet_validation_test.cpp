#define BOOST_TEST_MODULE domain_fleet_validation
#include <boost/test/unit_test.hpp>
#include <functional>

#include "tests/support/fleet_builder.hpp"

using namespace headroom::domain;
using headroom::test::at;
using headroom::test::fleet_builder;

namespace {

fleet valid() {
  const instant t0 = at("2026-12-08T00:00:00Z");
  fleet_builder b({t0, t0 + seconds_per_day});
  b.proxy("px-1", 40, 32).customer("c1", {"software_distribution"}, "Europe/Berlin", {{60, 300}});
  b.device("d1", "c1", {"px-1"})
      .job("j1", "d1", t0, 600)
      .customer_service("c1", "counter_collection", t0, 86400, 60);
  return b.get();
}

std::string failure_of(const std::function<void(fleet&)>& spoil) {
  fleet f = valid();
  spoil(f);
  const auto e = validate(f);
  return e ? e->message() : "valid";
}

}  // namespace

BOOST_AUTO_TEST_CASE(accepts_a_valid_fleet) {
  BOOST_TEST(failure_of([](fleet&) {}) == "valid");
}

BOOST_AUTO_TEST_CASE(names_the_path_of_what_is_wrong) {
  BOOST_TEST(failure_of([](fleet& f) { f.proxies[0].threshold = 41; }) ==
             "proxies[0].threshold: threshold 41 is above capacity 40");
  BOOST_TEST(failure_of([](fleet& f) { f.proxies[0].capacity = 0; }) ==
             "proxies[0].capacity: must be positive");
  BOOST_TEST(failure_of([](fleet& f) { f.jobs[0].duration_s = 0; }) ==
             "jobs[0].duration_s: must be positive");
  BOOST_TEST(failure_of([](fleet& f) { f.jobs[0].duration_s = -5; }) ==
             "jobs[0].duration_s: must be positive");
  BOOST_TEST(failure_of([](fleet& f) { f.jobs.push_back(f.jobs[0]); }) ==
             "jobs[1].id: duplicate id 'j1'");
  BOOST_TEST(failure_of([](fleet& f) { f.customers[0].time_zone = "Europe/Atlantis"; }) ==
             "customers[0].time_zone: unknown time zone 'Europe/Atlantis'");
  BOOST_TEST(failure_of([](fleet& f) {
               f.customers[0].maintenance_windows[0] = {60, 60};
             }) == "customers[0].maintenance_windows[0]: empty window: from equals to");
  BOOST_TEST(failure_of([](fleet& f) { f.services[0].every_s = 0; }) ==
             "services[0].every_s: must be positive");
  BOOST_TEST(failure_of([](fleet& f) { f.services[0].duration_s = 0; }) ==
             "services[0].duration_s: must be positive");
  BOOST_TEST(failure_of([](fleet& f) { f.services[0].device = 0; }) ==
             "services[0]: names exactly one of 'device' and 'customer'");
  BOOST_TEST(failure_of([](fleet& f) { f.devices[0].path.clear(); }) ==
             "devices[0]: device in proxy mode names no proxy");
  BOOST_TEST(failure_of([](fleet& f) {
               f.devices[0].path = {0, 0};
             }) == "devices[0].proxies: proxy 'px-1' appears twice on the path");
  BOOST_TEST(failure_of([](fleet& f) { f.horizon->end = f.horizon->start; }) ==
             "horizon: 'to' must be after 'from'");
  BOOST_TEST(failure_of([](fleet& f) {
               f.packages.push_back({"fw-2", "2", 1});
             }) == "jobs[0].package: unknown package 'fw-1'");
}
