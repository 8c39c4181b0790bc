// A load detector on CAF's test coordinator: a full model reports the proxies with
// windows; increments report exactly the proxies whose windows changed, with the windows
// detect() finds on the same model; other shards' proxies are left alone.
#define BOOST_TEST_MODULE load detector
#include "actors/detector/load_detector.hpp"

#include <boost/test/unit_test.hpp>

#include "detector/model_builder.hpp"
#include "detector/window_records.hpp"
#include "domain/detection.hpp"
#include "tests/support/detector_fixture.hpp"
#include "tests/support/job_records.hpp"

using namespace headroom;
using domain::monitoring_mode;
using test::day;
using test::scheduled_job;
using test::t0;

namespace {

struct adjuster_log {
  std::vector<detector::proxy_windows> reports;  ///< Every batch's, in order.
  std::size_t batches = 0;
};

detector::adjuster_actor::behavior_type recording_adjuster(detector::adjuster_actor::pointer,
                                                           std::shared_ptr<adjuster_log> log) {
  return {[log](const detector::windows_batch& batch) {
    ++log->batches;
    log->reports.insert(log->reports.end(), batch.proxies.begin(), batch.proxies.end());
  }};
}

struct detector_fixture_with_world : test::detector_fixture {
  detector::topology_view topology;
  distribution_api::inventory inventory;
  detector::job_map jobs;
  domain::duration_estimates estimates;
  detector::model_builder builder;
  std::shared_ptr<adjuster_log> log = std::make_shared<adjuster_log>();

  detector_fixture_with_world() {
    inventory.customers.push_back({"c1", {"software_distribution"}, "UTC", {}});
    for (int p = 0; p < 4; ++p) {
      const auto proxy = "p" + std::to_string(p);
      topology.proxies.push_back({proxy, 2, 1, {}, {"n" + std::to_string(p)}, false});
      for (int d = 0; d < 3; ++d) {
        const auto device = proxy + "-d" + std::to_string(d);
        topology.proxies.back().devices.push_back(device);
        inventory.devices.push_back({device, "c1", "m", monitoring_mode::proxy, {proxy}});
        jobs.emplace(device + "-j", scheduled_job(device + "-j", device, t0 + 3600 + d * 7200));
      }
    }
  }

  detector::load_detector_actor spawn(std::uint32_t shard, std::uint32_t shards) {
    auto adjuster = keep(system.spawn(recording_adjuster, log));
    return keep(system.spawn(detector::load_detector, detector::load_detector_config{shard, shards},
                             adjuster));
  }

  detector::model_ptr rebuild() {
    auto model = builder.rebuild(topology, inventory, jobs, estimates, day, {}, t0);
    BOOST_REQUIRE(model);
    return *model;
  }

  /// The windows detect() finds for `proxy` on `model`.
  std::vector<distribution_api::window_record> expected(const detector::model_ptr& model,
                                                        const std::string& proxy) {
    const auto& f = model->fleet;
    domain::schedule starts(f.jobs.size());
    for (domain::index_t j = 0; j < f.jobs.size(); ++j)
      starts[j] = model->counting.job_counts[j] ? f.jobs[j].start : domain::unscheduled;
    auto d = domain::detect(f, model->counting, starts, day);
    std::vector<domain::overload_window> mine;
    for (auto& w : d.windows)
      if (f.proxies[w.proxy].id == proxy) mine.push_back(w);
    return detector::window_records(f, mine);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(load_detector, detector_fixture_with_world)

BOOST_AUTO_TEST_CASE(reports_every_proxy_once_then_only_changes) {
  auto detector = spawn(0, 1);
  // p1's first two devices overlap: a window on p1 only.
  jobs.at("p1-d1-j").start = t0 + 3600 + 300;
  auto model = rebuild();
  caf::anon_send(detector, model);
  run();
  BOOST_REQUIRE_EQUAL(log->reports.size(), 4u);  // every proxy once: a warning may need clearing
  BOOST_TEST(log->batches == 1u);                // one model, one message to plan together
  for (const auto& r : log->reports) BOOST_TEST(r.windows == expected(model, r.proxy));
  BOOST_TEST(expected(model, "p1").size() == 1u);
  log->reports.clear();

  // Moving the job away clears p1's window: reported with no windows.
  jobs.at("p1-d1-j").start = t0 + 3600 + 7200;
  auto cleared = builder.update({"p1-d1-j"}, jobs, estimates, t0);
  caf::anon_send(detector, cleared);
  run();
  BOOST_REQUIRE_EQUAL(log->reports.size(), 1u);
  BOOST_TEST(log->reports[0].proxy == "p1");
  BOOST_TEST(log->reports[0].windows.empty());

  // A change that leaves every window as it was reports nothing.
  jobs.at("p2-d0-j").start += 60;
  caf::anon_send(detector, builder.update({"p2-d0-j"}, jobs, estimates, t0));
  run();
  BOOST_TEST(log->reports.size() == 1u);

  // A new overlapping job on p3 opens a window there.
  jobs.emplace("p3-extra", scheduled_job("p3-extra", "p3-d2", t0 + 3600));
  auto opened = builder.update({"p3-extra"}, jobs, estimates, t0);
  caf::anon_send(detector, opened);
  run();
  BOOST_REQUIRE_EQUAL(log->reports.size(), 2u);
  BOOST_TEST(log->reports[1].proxy == "p3");
  BOOST_TEST(log->reports[1].windows == expected(opened, "p3"));

  auto status = ask<detector::detector_windows>(detector, atom::status_v);
  BOOST_REQUIRE(status);
  BOOST_TEST(status->by_proxy.size() == 1u);
  BOOST_TEST(status->by_proxy.count("p3") == 1u);
}

BOOST_AUTO_TEST_CASE(an_increment_reports_every_proxy_it_changed_in_one_batch) {
  auto detector = spawn(0, 1);
  caf::anon_send(detector, rebuild());
  run();
  log->reports.clear();
  log->batches = 0;
  jobs.at("p1-d1-j").start = t0 + 3600;
  jobs.at("p3-d1-j").start = t0 + 3600;
  auto opened = builder.update({"p1-d1-j", "p3-d1-j"}, jobs, estimates, t0);
  caf::anon_send(detector, opened);
  run();
  BOOST_TEST(log->batches == 1u);
  BOOST_REQUIRE_EQUAL(log->reports.size(), 2u);
  for (const auto& r : log->reports) {
    BOOST_TEST(r.model == opened);
    BOOST_TEST(r.windows == expected(opened, r.proxy));
    BOOST_TEST(!r.windows.empty());
  }
}

BOOST_AUTO_TEST_CASE(a_full_model_that_drops_a_proxy_clears_its_windows) {
  auto detector = spawn(0, 1);
  jobs.at("p0-d1-j").start = t0 + 3600;
  caf::anon_send(detector, rebuild());
  run();
  BOOST_REQUIRE_EQUAL(log->reports.size(), 4u);
  log->reports.clear();
  topology.proxies.erase(topology.proxies.begin());
  caf::anon_send(detector, rebuild());
  run();
  BOOST_REQUIRE_EQUAL(log->reports.size(), 1u);
  BOOST_TEST(log->reports[0].proxy == "p0");
  BOOST_TEST(log->reports[0].windows.empty());
}

BOOST_AUTO_TEST_CASE(shards_split_the_proxies_between_them) {
  for (int p = 0; p < 4; ++p) jobs.at("p" + std::to_string(p) + "-d1-j").start = t0 + 3600;
  auto model = rebuild();
  std::vector<detector::load_detector_actor> shards{spawn(0, 2), spawn(1, 2)};
  for (auto& s : shards) caf::anon_send(s, model);
  run();
  BOOST_REQUIRE_EQUAL(log->reports.size(), 4u);  // every proxy once, by one shard or the other
  std::set<std::string> proxies;
  for (const auto& r : log->reports) proxies.insert(r.proxy);
  BOOST_TEST(proxies.size() == 4u);
  for (const auto& r : log->reports) BOOST_TEST(r.windows == expected(model, r.proxy));
}

BOOST_AUTO_TEST_SUITE_END()
