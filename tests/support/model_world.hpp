#pragma once
// A small detector world for plain-function tests: one proxy with capacity 3 and threshold 1,
// devices of two customers (one without a distribution contract), one direct device, one
// device no node has seen, and a job per device an hour into the test day.

#include <boost/test/unit_test.hpp>

#include "detector/model_builder.hpp"
#include "tests/support/job_records.hpp"

namespace headroom::test {

struct world {
  detector::topology_view topology;
  distribution_api::inventory inventory;
  detector::job_map jobs;
  domain::duration_estimates estimates;
  detector::model_builder builder;

  world() {
    using domain::monitoring_mode;
    topology.proxies.push_back({"p1", 3, 1, {"d1", "d2", "d3", "d4", "ghost"}, {"n1"}, false});
    inventory.customers.push_back(
        {"c1", {"software_distribution", "counter_collection"}, "UTC", {}});
    inventory.customers.push_back({"c2", {"counter_collection"}, "UTC", {}});
    inventory.devices.push_back({"d1", "c1", "m", monitoring_mode::proxy, {"p1"}});
    inventory.devices.push_back({"d2", "c1", "m", monitoring_mode::proxy, {"p1"}});
    inventory.devices.push_back({"d3", "c2", "m", monitoring_mode::proxy, {"p1"}});
    inventory.devices.push_back({"d4", "c1", "m", monitoring_mode::direct, {"p1"}});
    inventory.devices.push_back({"d5", "c1", "m", monitoring_mode::proxy, {"p1"}});  // not seen
    for (auto j : {scheduled_job("j1", "d1", t0 + 3600), scheduled_job("j2", "d2", t0 + 3900),
                   scheduled_job("j3", "d3", t0 + 3600), scheduled_job("j4", "d4", t0 + 3600),
                   scheduled_job("j5", "d5", t0 + 3600)})
      jobs.emplace(j.id, j);
  }

  detector::model_ptr rebuild(detector::threshold_policy thresholds = {}) {
    auto model = builder.rebuild(topology, inventory, jobs, estimates, day, thresholds, t0);
    BOOST_REQUIRE_MESSAGE(model, (model ? "" : model.failure().message()));
    return *model;
  }
};

}  // namespace headroom::test
