// The model the load detectors work on (model_builder), as plain functions.
#define BOOST_TEST_MODULE detector model builder
#include "detector/model_builder.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "tests/support/model_world.hpp"

using namespace headroom;
using test::day;
using test::scheduled_job;
using test::t0;
using test::world;

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
  w.jobs.at("j2").status = distribution_api::job_status::done;
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

BOOST_AUTO_TEST_CASE(jobs_gone_from_the_distribution_system_stop_loading) {
  world w;
  w.rebuild();
  w.jobs.erase("j1");
  auto next = w.builder.update({}, w.jobs, w.estimates, t0 + 60, {"j1", "unknown"});
  BOOST_TEST((next->changed_jobs == std::vector<domain::index_t>{0}));
  BOOST_TEST(next->counting.job_counts[0] == 0);
  BOOST_TEST(next->counting.job_counts[1] == 1);
}

BOOST_AUTO_TEST_CASE(models_nobody_holds_are_reused_and_equal_fresh_copies) {
  world w;
  world copied;  // every model it publishes stays held, so each increment is a copy
  w.rebuild();
  std::vector<detector::model_ptr> held{copied.rebuild()};
  std::vector<const detector::detector_model*> published;
  for (int step = 0; step < 12; ++step) {
    const auto id = "n" + std::to_string(step);
    std::vector<std::string> changed{step % 2 ? "j1" : "j2"};
    for (auto* each : {&w, &copied}) {
      each->jobs.at(changed.front()).start += 60;
      if (step % 3 == 0) each->jobs.emplace(id, scheduled_job(id, "d1", t0 + 600 * step));
    }
    if (step % 3 == 0) changed.push_back(id);
    const auto mine = w.builder.update(changed, w.jobs, w.estimates, t0 + step);
    held.push_back(copied.builder.update(changed, copied.jobs, copied.estimates, t0 + step));
    const auto& want = *held.back();
    published.push_back(mine.get());
    BOOST_TEST(mine->generation == want.generation);
    BOOST_TEST(mine->changed_jobs == want.changed_jobs);
    BOOST_TEST(mine->counting.job_counts == want.counting.job_counts);
    BOOST_TEST(mine->job_versions == want.job_versions);
    BOOST_REQUIRE_EQUAL(mine->fleet.jobs.size(), want.fleet.jobs.size());
    for (std::size_t j = 0; j < want.fleet.jobs.size(); ++j) {
      BOOST_TEST(mine->fleet.jobs[j].id == want.fleet.jobs[j].id);
      BOOST_TEST(mine->fleet.jobs[j].start == want.fleet.jobs[j].start, "step " << step);
    }
    for (domain::index_t d = 0; d < want.fleet.devices.size(); ++d)
      BOOST_TEST(
          std::ranges::equal(mine->neighbourhoods->jobs_of(d), want.neighbourhoods->jobs_of(d)));
  }
  // Nothing held w's models but the builder: from the third increment on, each reuses the
  // one published two before it.
  BOOST_TEST(published[4] == published[2]);
  BOOST_TEST(published[5] == published[3]);
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

BOOST_AUTO_TEST_CASE(observations_that_move_no_prediction_publish_nothing_and_skip_no_generation) {
  world w;
  const auto first = w.rebuild();
  for (int i = 0; i < 3; ++i) w.estimates.observe("m", "fw", 100'000);  // shorter than planned
  BOOST_TEST(w.builder.repredict(w.jobs, w.estimates, t0) == nullptr);
  BOOST_TEST(w.builder.current() == first);
  w.jobs.at("j1").start += 60;
  BOOST_TEST(w.builder.update({"j1"}, w.jobs, w.estimates, t0)->generation ==
             first->generation + 1);
}

BOOST_AUTO_TEST_CASE(a_device_of_an_unknown_customer_is_an_error_naming_it) {
  world w;
  w.inventory.devices.front().customer = "nobody";
  auto model = w.builder.rebuild(w.topology, w.inventory, w.jobs, w.estimates, day, {}, t0);
  BOOST_REQUIRE(!model);
  BOOST_TEST(model.failure().where == "devices.d1.customer");
}
