#define BOOST_TEST_MODULE sim_fleet_generator
#include "sim/fleet_generator.hpp"

#include <boost/test/unit_test.hpp>

#include "domain/detection.hpp"
#include "formats/fleet_writer.hpp"

using namespace headroom;

namespace {
sim::fleet_generator_config config(std::uint64_t seed) {
  sim::fleet_generator_config c;
  c.devices = 3000;
  c.proxies = 20;
  c.seed = seed;
  return c;
}
}  // namespace

BOOST_AUTO_TEST_CASE(same_seed_same_file_other_seed_other_file) {
  const auto a = formats::fleet_to_json(sim::generate_fleet(config(7)));
  BOOST_TEST(a == formats::fleet_to_json(sim::generate_fleet(config(7))));
  BOOST_TEST(a != formats::fleet_to_json(sim::generate_fleet(config(8))));
}

BOOST_AUTO_TEST_CASE(generates_a_valid_realistic_fleet) {
  const auto f = sim::generate_fleet(config(3));
  BOOST_TEST(!domain::validate(f).has_value());
  BOOST_TEST(f.devices.size() == 3000u);
  BOOST_TEST(f.proxies.size() == 20u);
  BOOST_TEST(f.customers.size() == 20u);  // one per 150 devices by default
  std::size_t direct = 0, chained = 0;
  for (const auto& d : f.devices) {
    direct += d.relayed() ? 0 : 1;
    chained += d.path.size() > 1 ? 1 : 0;
  }
  BOOST_TEST(direct > 200u);
  BOOST_TEST(direct < 550u);
  BOOST_TEST(chained > 150u);
  std::size_t zones = 0, windows = 0, across_midnight = 0;
  for (const auto& c : f.customers) {
    zones += c.time_zone != f.customers[0].time_zone ? 1 : 0;
    windows += c.maintenance_windows.empty() ? 0 : 1;
    for (const auto& w : c.maintenance_windows)
      across_midnight += w.to_minute < w.from_minute ? 1 : 0;
  }
  BOOST_TEST(zones > 0u);
  BOOST_TEST(windows > 0u);
  std::size_t deadlines = 0, priorities = 0;
  for (const auto& j : f.jobs) {
    deadlines += j.deadline ? 1 : 0;
    priorities += j.priority > 0 ? 1 : 0;
  }
  BOOST_TEST(f.jobs.size() > 2000u);
  BOOST_TEST(deadlines > f.jobs.size() / 4);
  BOOST_TEST(priorities > 0u);
  BOOST_TEST(f.services.size() > 1000u);
}

BOOST_AUTO_TEST_CASE(everyday_traffic_fits_and_rollouts_overload) {
  const auto f = sim::generate_fleet(config(11));
  const auto c = domain::count_communications(f);
  const domain::schedule no_jobs(f.jobs.size(), domain::unscheduled);
  BOOST_TEST(domain::detect(f, c, no_jobs, *f.horizon).windows.empty());
  BOOST_TEST(!domain::detect(f, c, domain::requested_schedule(f), *f.horizon).windows.empty());
}

BOOST_AUTO_TEST_CASE(refuses_bad_knobs_naming_the_flag) {
  auto c = config(1);
  c.devices = 0;
  BOOST_TEST(sim::validate(c).failure().message() == "--devices: must be between 1 and 50000000");
  c = config(1);
  c.days = 1;
  BOOST_TEST(sim::validate(c).failure().message() == "--days: must be between 2 and 366");
  c = config(1);
  c.start = "next monday";
  BOOST_TEST(sim::validate(c).failure().where == "--start");
  c = config(1);
  c.direct_share = 1.5;
  BOOST_TEST(sim::validate(c).failure().message() == "--direct-share: must be between 0 and 1");
}
