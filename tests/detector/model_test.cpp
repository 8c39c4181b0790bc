// The model the load detectors work on (model_builder) and the adjuster's plan for one
// proxy (plan_for), as plain functions.
#define BOOST_TEST_MODULE detector model
#include <boost/test/unit_test.hpp>

#include "actors/adjuster.hpp"
#include "actors/model_builder.hpp"
#include "domain/detection.hpp"
#include "tests/detector/job_records.hpp"

using namespace headroom;
using messages::monitoring_mode;
using test::day;
using test::scheduled_job;
using test::t0;

namespace {

struct world {
  actors::topology_view topology;
  messages::inventory inventory;
  actors::job_map jobs;
  domain::duration_estimates estimates;
  actors::model_builder builder;

  world() {
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

  actors::model_ptr rebuild(actors::threshold_policy thresholds = {}) {
    auto model = builder.rebuild(topology, inventory, jobs, estimates, day, thresholds, t0);
    BOOST_REQUIRE_MESSAGE(model, (model ? "" : model.failure().message()));
    return *model;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(keeps_relayed_devices_seen_behind_a_proxy_and_jobs_under_a_contract) {
  world w;
  auto model = w.rebuild();
  const auto& f = model->fleet;
  BOOST_TEST(f.devices.size() == 3u);  // d1, d2, d3: d4 is direct, d5 unseen, ghost unknown
  BOOST_TEST(f.jobs.size() == 2u);     // j1, j2: d3's customer has no distribution contract
  BOOST_TEST(w.builder.gaps().devices_unknown == 1);
  BOOST_TEST(w.builder.gaps().devices_direct == 1);
  BOOST_TEST(w.builder.gaps().jobs_without_contract == 1);
  BOOST_TEST(f.proxies.front().threshold == 1);
  BOOST_TEST(model->full);
}

BOOST_AUTO_TEST_CASE(thresholds_follow_the_policy) {
  world w;
  BOOST_TEST(w.rebuild({2, std::nullopt})->fleet.proxies.front().threshold == 2);
  BOOST_TEST(w.rebuild({std::nullopt, 0.7})->fleet.proxies.front().threshold ==
             2);  // floor(0.7 * 3)
}

BOOST_AUTO_TEST_CASE(updates_keep_indices_append_new_jobs_and_drop_finished_ones_from_the_count) {
  world w;
  auto first = w.rebuild();
  w.jobs.at("j1").start += 60;
  w.jobs.at("j2").status = messages::job_status::done;
  w.jobs.emplace("j6", scheduled_job("j6", "d2", t0 + 7200));
  w.jobs.emplace("j7", scheduled_job("j7", "d3", t0 + 7200));  // no contract: left out
  auto next = w.builder.update({"j1", "j2", "j6", "j7"}, w.jobs, w.estimates, t0 + 60);
  BOOST_TEST(!next->full);
  BOOST_TEST(next->generation == first->generation + 1);
  BOOST_TEST(next->fleet.jobs.size() == 3u);
  BOOST_TEST((next->changed_jobs == std::vector<domain::index_t>{0, 1, 2}));
  BOOST_TEST(next->fleet.jobs[0].start == t0 + 3660);
  BOOST_TEST(next->counting.job_counts[1] == 0);
  BOOST_TEST(next->fleet.jobs[2].id == "j6");
  BOOST_TEST(first->fleet.jobs[0].start == t0 + 3600);  // the published model is untouched
}

BOOST_AUTO_TEST_CASE(predictions_lengthen_with_observed_durations) {
  world w;
  w.rebuild();
  for (int i = 0; i < 3; ++i) w.estimates.observe("m", "fw", 1'200'000);
  auto next = w.builder.repredict(w.jobs, w.estimates, t0);
  BOOST_TEST(next->changed_jobs.size() == 2u);
  BOOST_TEST(next->fleet.jobs[0].duration_s == 1200);
  for (int i = 0; i < 32; ++i) w.estimates.observe("m", "fw", 100'000);
  BOOST_TEST(w.builder.repredict(w.jobs, w.estimates, t0)->fleet.jobs[0].duration_s == 600);
}

BOOST_AUTO_TEST_CASE(a_device_of_an_unknown_customer_is_an_error_naming_it) {
  world w;
  w.inventory.devices.front().customer = "nobody";
  auto model = w.builder.rebuild(w.topology, w.inventory, w.jobs, w.estimates, day, {}, t0);
  BOOST_REQUIRE(!model);
  BOOST_TEST(model.failure().where == "devices.d1.customer");
}

BOOST_AUTO_TEST_CASE(warn_mode_suggests_moves_that_clear_the_window) {
  world w;
  auto model = w.rebuild();
  auto before =
      domain::detect(model->fleet, model->counting, domain::requested_schedule(model->fleet), day);
  BOOST_REQUIRE_EQUAL(before.windows.size(), 1u);  // j1 and j2 overlap: load 2 > 1

  actors::proxy_windows in{"p1", model, {}};
  in.windows.push_back(
      {before.windows[0].span.start, before.windows[0].span.end, 2, 1, {"j1", "j2"}});
  actors::adjuster_config config{"det-1", actors::detector_mode::warn, [] { return t0; }};
  auto out = actors::plan_for(config, in);
  BOOST_TEST(!out.adjustment);
  BOOST_TEST(out.notification.windows == in.windows);
  BOOST_TEST(out.notification.detector == "det-1");
  BOOST_REQUIRE_EQUAL(out.notification.suggested_moves.size(), 1u);
  const auto& move = out.notification.suggested_moves.front();
  BOOST_TEST(move.job == "j2");
  BOOST_TEST(move.from == t0 + 3900);
  BOOST_TEST(move.to == t0 + 4200);  // right after j1 ends
  BOOST_TEST(move.version == 1);
}

BOOST_AUTO_TEST_CASE(auto_mode_sends_the_plan_and_the_windows_it_leaves) {
  world w;
  auto model = w.rebuild();
  actors::proxy_windows in{"p1", model, {{t0 + 3900, t0 + 4200, 2, 1, {"j1", "j2"}}}};
  actors::adjuster_config config{"det-1", actors::detector_mode::automatic, [] { return t0; }};
  auto out = actors::plan_for(config, in);
  BOOST_REQUIRE(out.adjustment);
  BOOST_TEST(out.adjustment->proxy == "p1");
  BOOST_TEST(out.adjustment->moves.size() == 1u);
  BOOST_TEST(out.notification.windows.empty());
  BOOST_TEST(out.notification.suggested_moves.empty());
}

BOOST_AUTO_TEST_CASE(cleared_windows_make_an_empty_notification) {
  world w;
  actors::proxy_windows in{"p1", w.rebuild(), {}};
  auto out = actors::plan_for({"det-1", actors::detector_mode::automatic, [] { return t0; }}, in);
  BOOST_TEST(!out.adjustment);
  BOOST_TEST(out.notification.windows.empty());
  BOOST_TEST(out.notification.proxy == "p1");
}
