#include "tests/support/random_fleet.hpp"

#include <string>
#include <vector>

#include "tests/support/fleet_builder.hpp"

namespace headroom::test {

using namespace domain;

instant random_fleet_start() { return at("2026-12-08T00:00:00Z"); }

fleet random_fleet(std::mt19937_64& rng, std::int64_t horizon_s, bool rollouts) {
  auto between = [&](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(rng() % (hi - lo + 1));
  };
  const instant t0 = random_fleet_start();
  fleet f;
  f.horizon = interval{t0, t0 + horizon_s};
  const auto proxies = between(1, 3);
  for (int p = 0; p < proxies; ++p) {
    const auto capacity = static_cast<std::int32_t>(between(1, 4));
    f.proxies.push_back(
        {"px-" + std::to_string(p), capacity, static_cast<std::int32_t>(between(1, capacity))});
  }
  const std::vector<std::string> zones{"UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York"};
  const std::vector<std::string> names{"software_distribution", "status_monitoring",
                                       "counter_collection"};
  const auto customers = between(1, 3), devices = between(1, 7), jobs = between(2, 14),
             services = between(0, 3);
  for (int c = 0; c < customers; ++c) {
    customer cu{"c" + std::to_string(c), {}, zones[rng() % zones.size()], {}};
    for (const auto& n : names)
      if (rng() % 4 != 0) cu.services.push_back(n);
    if (rng() % 2) {
      const auto from = static_cast<std::int32_t>(between(0, 23) * 60);
      cu.maintenance_windows.push_back(
          {from, static_cast<std::int32_t>((from + between(1, 8) * 60) % 1440)});
    }
    f.customers.push_back(cu);
  }
  for (int d = 0; d < devices; ++d) {
    device dev{"d" + std::to_string(d),
               static_cast<index_t>(rng() % f.customers.size()),
               rng() % 6 ? monitoring_mode::proxy : monitoring_mode::direct,
               {},
               ""};
    dev.path.push_back(static_cast<index_t>(rng() % f.proxies.size()));
    if (f.proxies.size() > 1 && rng() % 3 == 0)
      dev.path.push_back((dev.path[0] + 1) % f.proxies.size());
    f.devices.push_back(dev);
  }
  for (int j = 0; j < jobs; ++j) {
    // Rollouts start jobs at a few shared times, as operators schedule them.
    const instant start = rollouts ? t0 + between(0, 3) * 1800 + (rng() % 3 ? 0 : between(0, 600))
                                   : t0 + between(-600, horizon_s / 2);
    job jb{"j" + std::to_string(j),
           static_cast<index_t>(rng() % f.devices.size()),
           "fw",
           start,
           between(1, 3600),
           std::nullopt,
           static_cast<std::int32_t>(between(0, 2))};
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

}  // namespace headroom::test
