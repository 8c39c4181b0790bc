// The adjuster's plans (plan_for) as a plain function: one proxy's windows, and a batch of
// proxies behind one regional proxy planned together as the whole fleet's plan would; then
// the actor behind a load detector on CAF's test coordinator, one notification per proxy.
#define BOOST_TEST_MODULE detector adjuster
#include "actors/detector/adjuster.hpp"

#include <boost/test/unit_test.hpp>
#include <map>
#include <set>
#include <tuple>

#include "actors/detector/load_detector.hpp"
#include "detector/window_records.hpp"
#include "domain/adjuster.hpp"
#include "domain/detection.hpp"
#include "tests/support/detector_fixture.hpp"
#include "tests/support/model_world.hpp"

using namespace headroom;
using domain::monitoring_mode;
using test::day;
using test::scheduled_job;
using test::t0;
using test::world;

namespace {

detector::windows_batch batch_of(detector::proxy_windows windows) { return {{std::move(windows)}}; }

/// Two sites, a and b (threshold 1), chained to a regional proxy r (threshold 2); two devices
/// behind each site, every job at the same hour: a, b and r are all overloaded, and the jobs
/// of a and b sit in r's window too. r comes first, as a topology may list it.
struct chained_world {
  detector::topology_view topology;
  distribution_api::inventory inventory;
  detector::job_map jobs;
  domain::duration_estimates estimates;
  detector::model_builder builder;

  chained_world() {
    inventory.customers.push_back({"c1", {"software_distribution"}, "UTC", {}});
    topology.proxies.push_back({"r", 3, 2, {}, {"nr"}, false});
    for (const std::string site : {"a", "b"}) {
      topology.proxies.push_back({site, 3, 1, {}, {"n" + site}, false});
      for (const std::string n : {"1", "2"}) {
        const auto device = site + n;
        topology.proxies.back().devices.push_back(device);
        topology.proxies.front().devices.push_back(device);
        inventory.devices.push_back({device, "c1", "m", monitoring_mode::proxy, {site, "r"}});
        jobs.emplace(device + "-j", scheduled_job(device + "-j", device, t0 + 3600));
      }
    }
  }

  detector::model_ptr rebuild() {
    auto model = builder.rebuild(topology, inventory, jobs, estimates, day, {}, t0);
    BOOST_REQUIRE(model);
    return *model;
  }
};

/// Every proxy's windows on `model`, in the fleet's order, as a load detector reports them.
detector::windows_batch reported(const detector::model_ptr& model) {
  const auto& f = model->fleet;
  const auto found = domain::detect(f, model->counting, domain::requested_schedule(f), day);
  detector::windows_batch batch;
  for (domain::index_t p = 0; p < f.proxies.size(); ++p) {
    std::vector<domain::overload_window> mine;
    for (const auto& w : found.windows)
      if (w.proxy == p) mine.push_back(w);
    batch.proxies.push_back({f.proxies[p].id, model, detector::window_records(f, mine)});
  }
  return batch;
}

using move_set = std::set<std::tuple<std::string, domain::instant, domain::instant>>;

/// The distribution system's answer to the adjustments, in order: each move applied when
/// its job still has the version it quotes. Answers the fleet with the moves applied.
domain::fleet applied(const detector::model_ptr& model,
                      const std::vector<distribution_api::adjustment_record>& adjustments) {
  auto f = model->fleet;
  std::map<std::string, domain::index_t> index;
  for (domain::index_t j = 0; j < f.jobs.size(); ++j) index.emplace(f.jobs[j].id, j);
  auto versions = model->job_versions;
  for (const auto& a : adjustments)
    for (const auto& m : a.moves) {
      const auto j = index.at(m.job);
      if (versions[j] != m.version) continue;
      f.jobs[j].start = m.to;
      ++versions[j];
    }
  return f;
}

std::size_t windows_left(const detector::model_ptr& model, const domain::fleet& f) {
  return domain::detect(f, model->counting, domain::requested_schedule(f), day).windows.size();
}

const detector::adjuster_config automatic{"det-1", detector::detector_mode::automatic,
                                          domain::wall_clock::fixed(t0)};

}  // namespace

BOOST_AUTO_TEST_CASE(warn_mode_suggests_moves_that_clear_the_window) {
  world w;
  auto model = w.rebuild();
  auto before =
      domain::detect(model->fleet, model->counting, domain::requested_schedule(model->fleet), day);
  BOOST_REQUIRE_EQUAL(before.windows.size(), 1u);  // j1 and j2 overlap: load 2 > 1

  detector::proxy_windows in{"p1", model, {}};
  in.windows.push_back(
      {before.windows[0].span.start, before.windows[0].span.end, 2, 1, {"j1", "j2"}});
  detector::adjuster_config config{"det-1", detector::detector_mode::warn,
                                   domain::wall_clock::fixed(t0)};
  auto outputs = detector::plan_for(config, batch_of(in));
  BOOST_REQUIRE_EQUAL(outputs.size(), 1u);
  const auto& out = outputs.front();
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
  detector::proxy_windows in{"p1", model, {{t0 + 3900, t0 + 4200, 2, 1, {"j1", "j2"}}}};
  detector::adjuster_config config{"det-1", detector::detector_mode::automatic,
                                   domain::wall_clock::fixed(t0)};
  auto outputs = detector::plan_for(config, batch_of(in));
  BOOST_REQUIRE_EQUAL(outputs.size(), 1u);
  const auto& out = outputs.front();
  BOOST_REQUIRE(out.adjustment);
  BOOST_TEST(out.adjustment->proxy == "p1");
  BOOST_TEST(out.adjustment->moves.size() == 1u);
  BOOST_TEST(out.notification.windows.empty());
  BOOST_TEST(out.notification.suggested_moves.empty());
}

BOOST_AUTO_TEST_CASE(cleared_windows_make_an_empty_notification) {
  world w;
  detector::proxy_windows in{"p1", w.rebuild(), {}};
  auto outputs = detector::plan_for(automatic, batch_of(in));
  BOOST_REQUIRE_EQUAL(outputs.size(), 1u);
  const auto& out = outputs.front();
  BOOST_TEST(!out.adjustment);
  BOOST_TEST(out.notification.windows.empty());
  BOOST_TEST(out.notification.proxy == "p1");
}

BOOST_AUTO_TEST_CASE(proxies_sharing_a_regional_proxy_get_the_whole_fleets_plan) {
  chained_world w;
  const auto model = w.rebuild();
  const auto batch = reported(model);
  for (const auto& p : batch.proxies) BOOST_TEST_REQUIRE(!p.windows.empty(), p.proxy);

  const auto& f = model->fleet;
  const auto whole = domain::adjust(
      f, model->counting, domain::detect(f, model->counting, domain::requested_schedule(f), day));
  move_set expected;
  for (const auto& m : whole.moved) expected.emplace(f.jobs[m.job].id, m.from, m.to);
  BOOST_TEST_REQUIRE(!expected.empty());

  const auto outputs = detector::plan_for(automatic, batch);
  BOOST_REQUIRE_EQUAL(outputs.size(), batch.proxies.size());
  move_set planned;
  std::vector<distribution_api::adjustment_record> adjustments;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    BOOST_TEST(outputs[i].notification.proxy == batch.proxies[i].proxy);
    BOOST_TEST(outputs[i].notification.windows.empty(), batch.proxies[i].proxy);
    if (!outputs[i].adjustment) continue;
    BOOST_TEST(outputs[i].adjustment->proxy == batch.proxies[i].proxy);
    for (const auto& m : outputs[i].adjustment->moves)
      BOOST_TEST(planned.emplace(m.job, m.from, m.to).second, m.job << " moved twice");
    adjustments.push_back(*outputs[i].adjustment);
  }
  BOOST_TEST((planned == expected));
  BOOST_TEST(windows_left(model, applied(model, adjustments)) == 0u);
}

BOOST_AUTO_TEST_CASE(plans_made_apart_on_one_model_leave_windows_the_batch_plan_clears) {
  chained_world w;
  const auto model = w.rebuild();
  // What the adjuster did before batches: each proxy planned alone on the same model.
  std::vector<distribution_api::adjustment_record> apart;
  for (const auto& p : reported(model).proxies)
    for (auto& out : detector::plan_for(automatic, batch_of(p)))
      if (out.adjustment) apart.push_back(*out.adjustment);
  BOOST_TEST(windows_left(model, applied(model, apart)) > 0u);

  std::vector<distribution_api::adjustment_record> together;
  for (auto& out : detector::plan_for(automatic, reported(model)))
    if (out.adjustment) together.push_back(*out.adjustment);
  BOOST_TEST(windows_left(model, applied(model, together)) == 0u);
}

BOOST_AUTO_TEST_CASE(warn_mode_suggests_each_move_once_in_the_nearest_proxys_notification) {
  chained_world w;
  const auto model = w.rebuild();
  const auto outputs = detector::plan_for(
      {"det-1", detector::detector_mode::warn, domain::wall_clock::fixed(t0)}, reported(model));
  std::map<std::string, std::string> suggested_by;
  for (const auto& out : outputs) {
    BOOST_TEST(!out.adjustment);
    BOOST_TEST(!out.notification.windows.empty());  // warn mode reports the windows as found
    for (const auto& m : out.notification.suggested_moves)
      BOOST_TEST(suggested_by.emplace(m.job, out.notification.proxy).second, m.job);
  }
  BOOST_REQUIRE(!suggested_by.empty());
  // Each moved job is a site's: the site's notification carries it, not the regional one's.
  for (const auto& [job, proxy] : suggested_by) BOOST_TEST(proxy == job.substr(0, 1));
}

namespace {

struct notifier_log {
  std::vector<distribution_api::notification_record> notifications;
  std::vector<distribution_api::adjustment_record> adjustments;
};

detector::notifier_actor::behavior_type recording_notifier(
    detector::notifier_actor::pointer, const std::shared_ptr<notifier_log>& log) {
  return {
      [log](const distribution_api::notification_record& n) { log->notifications.push_back(n); },
      [log](const distribution_api::adjustment_record& a) { log->adjustments.push_back(a); },
      [](atom::status) -> detector::outbox_status {
        BOOST_FAIL("the adjuster asked the notifier for its status");
        return {};
      },
  };
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(one_notification_per_proxy_for_a_batch, test::detector_fixture) {
  chained_world w;
  auto log = std::make_shared<notifier_log>();
  auto notifier = keep(system.spawn(recording_notifier, log));
  auto adjuster = detector::spawn_adjuster(system, automatic, notifier);
  BOOST_REQUIRE(adjuster);
  keep(*adjuster);
  auto detector = detector::spawn_load_detector(system, {}, *adjuster);
  BOOST_REQUIRE(detector);
  keep(*detector);

  auto model = w.rebuild();
  caf::anon_send(*detector, model);
  run();
  std::map<std::string, int> per_proxy;
  for (const auto& n : log->notifications) ++per_proxy[n.proxy];
  BOOST_TEST(per_proxy == (std::map<std::string, int>{{"a", 1}, {"b", 1}, {"r", 1}}));
  std::set<std::string> moved;
  for (const auto& a : log->adjustments)
    for (const auto& m : a.moves) BOOST_TEST(moved.insert(m.job).second, m.job << " moved twice");
  BOOST_TEST(!moved.empty());

  // The moves applied, as the fetcher publishes them: the windows cleared, as the
  // notifications already said, so nothing new goes out.
  std::vector<std::string> changed;
  for (const auto& a : log->adjustments)
    for (const auto& m : a.moves) {
      auto& job = w.jobs.at(m.job);
      job.start = m.to;
      ++job.version;
      changed.push_back(m.job);
    }
  log->notifications.clear();
  log->adjustments.clear();
  caf::anon_send(*detector, w.builder.update(changed, w.jobs, w.estimates, t0));
  run();
  BOOST_TEST(log->notifications.empty());
  BOOST_TEST(log->adjustments.empty());
}
