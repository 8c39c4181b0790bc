// The schedule fetcher on CAF's test coordinator: its period, incremental fetches, the
// backoff after failures, the circuit breaker and the request timeout, all on the
// simulated clock against a scripted distribution system.
#define BOOST_TEST_MODULE schedule fetcher
#include "actors/detector/schedule_fetcher.hpp"

#include <boost/test/unit_test.hpp>
#include <sstream>

#include "tests/support/detector_fixture.hpp"
#include "tests/support/job_records.hpp"

using namespace headroom;
using namespace std::chrono_literals;
using detector::topology_view;
using distribution_api::job_record;

namespace {

using test::t0;

job_record job(std::string id, domain::instant start, domain::instant updated_at) {
  return test::scheduled_job(std::move(id), "d1", start, updated_at);
}

topology_view one_proxy() {
  topology_view t;
  t.proxies.push_back({"p1", 2, 1, {"d1", "d2"}, {"node-1"}, false});
  return t;
}

/// A distribution system whose inventory answers (whole or in parts) wait for a "release"
/// message, so that a full refresh or a first fetch can be held while other fetches go on;
/// "release devices", "release services" and "release jobs" answer only those (the jobs are
/// held only when `hold_jobs`).
caf::behavior held_distribution(caf::event_based_actor* self,
                                const std::shared_ptr<test::scripted_distribution>& script,
                                bool hold_jobs) {
  using part = std::pair<std::string, caf::response_promise>;
  auto held = std::make_shared<std::vector<part>>();
  const auto hold = [self, held](std::string what) {
    held->emplace_back(std::move(what), self->make_response_promise());
    return held->back().second;
  };
  return {
      [=](atom::fetch_inventory) { return hold("inventory"); },
      [=](atom::fetch_devices) { return hold("devices"); },
      [=](atom::fetch_services) { return hold("services"); },
      [=](atom::fetch_jobs, domain::instant, std::int64_t) {
        auto promise = hold("jobs");
        if (!hold_jobs) {
          held->pop_back();
          promise.deliver(script->jobs);
        }
        return promise;
      },
      [=](atom::put_topology, const distribution_api::topology_record& t) {
        script->topologies.push_back(t);
        return std::vector<std::string>{};
      },
      [=](const std::string& release) {
        BOOST_REQUIRE(release.rfind("release", 0) == 0);
        std::erase_if(*held, [&](part& p) {
          if (release != "release" && release != "release " + p.first) return false;
          if (p.first == "devices")
            p.second.deliver(test::devices_part(script->inventory));
          else if (p.first == "services")
            p.second.deliver(test::services_part(script->inventory));
          else if (p.first == "jobs")
            p.second.deliver(script->jobs);
          else
            p.second.deliver(script->inventory);
          return true;
        });
      },
      [=](atom::status) { return static_cast<std::int64_t>(held->size()); },
  };
}

struct fetcher_fixture : test::detector_fixture {
  std::shared_ptr<test::scripted_distribution> script =
      std::make_shared<test::scripted_distribution>();
  std::shared_ptr<test::model_log> log = std::make_shared<test::model_log>();
  detector::schedule_fetcher_actor fetcher;

  fetcher_fixture() {
    script->inventory.customers.push_back({"c1", {"software_distribution"}, "UTC", {}});
    script->inventory.devices.push_back({"d1", "c1", "m", domain::monitoring_mode::proxy, {"p1"}});
    script->inventory.devices.push_back({"d2", "c1", "m", domain::monitoring_mode::proxy, {"p1"}});
    script->jobs = {job("j1", t0 + 3600, t0 - 100), job("j2", t0 + 3600, t0 - 100)};
    script->jobs[1].device = "d2";
  }

  detector::fetcher_config config() {
    detector::fetcher_config c;
    c.interval = 60s;
    c.request_timeout = 5s;
    c.backoff_min = 1s;
    c.backoff_max = 8s;
    c.breaker_failures = 4;
    c.breaker_open_for = 30s;
    c.horizon = domain::interval{t0, t0 + 86'400};
    c.clock = domain::wall_clock::fixed(t0);
    return c;
  }

  void start(detector::fetcher_config c, detector::distribution_client_actor sweeper = {},
             detector::distribution_client_actor client = {}) {
    if (!client) client = keep(system.spawn(test::scripted_client, script));
    auto detector = keep(system.spawn(test::recording_detector, log));
    fetcher = keep(system.spawn(detector::schedule_fetcher, std::move(c), client,
                                std::vector<detector::load_detector_actor>{detector},
                                std::move(sweeper)));
    caf::anon_send(fetcher, one_proxy());
    run();
  }

  /// Answers everything `held` holds, and what the fetcher asks for next, until it holds
  /// nothing (the first fetch asks for the services once it has the devices).
  void release(const caf::actor& held) {
    for (int round = 0; round < 4; ++round) {
      caf::anon_send(held, std::string("release"));
      run();
      if (ask<std::int64_t>(held, atom::status_v).value_or(-1) == 0) return;
    }
    BOOST_FAIL("the distribution system is still asked after four releases");
  }

  /// A service of one device and one of the whole contract, for the drafts to take.
  void with_services() {
    script->inventory.customers.front().services.emplace_back("status_monitoring");
    script->inventory.services.push_back({"d1", std::nullopt, "status_monitoring", t0, 900, 60});
    script->inventory.services.push_back(
        {std::nullopt, "c1", "status_monitoring", t0 + 30, 600, 45});
  }

  /// The model a rebuild makes of the script's inventory and jobs on `topology`.
  detector::model_ptr rebuilt(const topology_view& topology) {
    detector::job_map jobs;
    for (const auto& j : script->jobs) jobs.emplace(j.id, j);
    detector::model_builder builder;
    auto model = builder.rebuild(topology, script->inventory, jobs, {}, *config().horizon, {}, t0);
    BOOST_REQUIRE(model);
    return *model;
  }

  detector::fetch_status status() {
    auto out = ask<detector::fetch_status>(fetcher, atom::status_v);
    BOOST_REQUIRE(out);
    return *out;
  }
};

}  // namespace

/// What a model holds, as text: proxies, devices, jobs, services and what counts.
std::string summary(const detector::detector_model& m) {
  std::ostringstream out;
  const auto& f = m.fleet;
  for (const auto& p : f.proxies)
    out << "proxy " << p.id << " " << p.capacity << "/" << p.threshold << "\n";
  for (const auto& d : f.devices) {
    out << "device " << d.id << " of " << d.customer << " via";
    for (auto p : d.path) out << " " << p;
    out << "\n";
  }
  for (std::size_t j = 0; j < f.jobs.size(); ++j)
    out << "job " << f.jobs[j].id << " on " << f.jobs[j].device << " at " << f.jobs[j].start
        << " for " << f.jobs[j].duration_s << " v" << m.job_versions[j] << " counts "
        << int{m.counting.job_counts[j]} << "\n";
  for (const auto& s : f.services)
    out << "service " << s.service << " " << s.device.value_or(99) << " " << s.customer.value_or(99)
        << " " << s.first_start << "+" << s.every_s << "\n";
  for (const auto g : m.counting.device_group) out << "group " << g << "\n";
  out << "horizon " << f.horizon->start << "-" << f.horizon->end << "\n";
  return out.str();
}

BOOST_FIXTURE_TEST_SUITE(fetcher, fetcher_fixture)

BOOST_AUTO_TEST_CASE(first_fetch_publishes_a_full_model_then_fetches_every_interval) {
  start(config());
  BOOST_REQUIRE_EQUAL(log->models.size(), 1u);
  const auto& model = *log->models.front();
  BOOST_TEST(model.full);
  BOOST_TEST(model.fleet.proxies.size() == 1u);
  BOOST_TEST(model.fleet.devices.size() == 2u);
  BOOST_TEST(model.fleet.jobs.size() == 2u);
  BOOST_REQUIRE_EQUAL(script->topologies.size(), 1u);
  BOOST_TEST(script->topologies.front().proxies.front().devices.size() == 2u);
  const auto requests = script->job_requests.size();

  advance_time(59s);
  BOOST_TEST(script->job_requests.size() == requests);
  advance_time(1s);
  BOOST_TEST(script->job_requests.size() == requests + 1);
  BOOST_TEST(script->job_requests.back() == t0 - 100);  // updated_since: the newest seen
  BOOST_TEST(log->models.size() == 1u);                 // nothing changed, nothing published
}

BOOST_AUTO_TEST_CASE(a_changed_job_is_published_as_an_increment) {
  start(config());
  script->jobs[0].start += 900;
  script->jobs[0].updated_at = t0 + 10;
  script->jobs.push_back(job("j3", t0 + 7200, t0 + 10));
  advance_time(60s);
  BOOST_REQUIRE_EQUAL(log->models.size(), 2u);
  const auto& model = *log->models.back();
  BOOST_TEST(!model.full);
  BOOST_TEST(model.generation == log->models.front()->generation + 1);
  BOOST_REQUIRE_EQUAL(model.changed_jobs.size(), 2u);
  BOOST_TEST(model.fleet.jobs.size() == 3u);
  BOOST_TEST(model.fleet.jobs[model.changed_jobs[0]].start == t0 + 3600 + 900);
  BOOST_TEST(model.fleet.jobs[model.changed_jobs[1]].id == "j3");

  script->jobs[1].status = distribution_api::job_status::done;
  script->jobs[1].updated_at = t0 + 20;
  advance_time(60s);
  BOOST_REQUIRE_EQUAL(log->models.size(), 3u);
  const auto& done = *log->models.back();
  BOOST_REQUIRE_EQUAL(done.changed_jobs.size(), 1u);
  BOOST_TEST(done.fleet.jobs[done.changed_jobs[0]].id == "j2");
  BOOST_TEST(done.counting.job_counts[done.changed_jobs[0]] == 0);
}

BOOST_AUTO_TEST_CASE(a_server_with_a_change_clock_is_asked_for_the_changes_after_the_newest_seen) {
  script->jobs[0].change_seq = 7;
  script->jobs[1].change_seq = 4;
  start(config());
  BOOST_TEST(script->changed_after_requests.back() == 0);  // everything, in the clock's order
  advance_time(60s);
  BOOST_TEST(script->changed_after_requests.back() == 7);
  BOOST_TEST(log->models.size() == 1u);  // nothing read again, nothing published

  script->jobs[1].start += 600;
  script->jobs[1].change_seq = 8;
  advance_time(60s);
  BOOST_REQUIRE_EQUAL(log->models.size(), 2u);
  BOOST_TEST(log->models.back()->changed_jobs.size() == 1u);
  advance_time(60s);
  BOOST_TEST(script->changed_after_requests.back() == 8);
}

BOOST_AUTO_TEST_CASE(a_server_without_a_change_clock_is_asked_by_time) {
  start(config());
  advance_time(60s);
  BOOST_TEST(script->changed_after_requests.back() == -1);
  BOOST_TEST(script->job_requests.back() == t0 - 100);
}

BOOST_AUTO_TEST_CASE(failures_back_off_exponentially_and_keep_the_last_good_model) {
  start(config());
  script->fail_next = 3;
  advance_time(60s);  // fails (1)
  auto s = status();
  BOOST_TEST(s.failures == 1u);
  BOOST_TEST(s.stale_snapshot);
  BOOST_TEST(!s.last_error.empty());
  BOOST_TEST(s.circuit == "closed");
  // Retry 1 comes after 1 s plus at most half of it.
  const auto after_first = script->job_requests.size();
  advance_time(999ms);
  BOOST_TEST(script->job_requests.size() == after_first);
  advance_time(501ms);
  BOOST_TEST(script->job_requests.size() == after_first + 1);  // fails (2)
  // Retry 2 after 2..3 s.
  advance_time(1999ms);
  BOOST_TEST(script->job_requests.size() == after_first + 1);
  advance_time(1001ms);
  BOOST_TEST(script->job_requests.size() == after_first + 2);  // fails (3)
  advance_time(6s);                                            // retry 3 after 4..6 s: succeeds
  BOOST_TEST(script->job_requests.size() == after_first + 3);
  s = status();
  BOOST_TEST(s.failures == 3u);
  BOOST_TEST(!s.stale_snapshot);
  BOOST_TEST(s.last_error.empty());
  BOOST_TEST(log->models.size() == 1u);  // the good model stayed in place throughout
}

BOOST_AUTO_TEST_CASE(the_circuit_opens_after_repeated_failures_and_half_opens_after_the_pause) {
  start(config());
  script->fail_next = 100;
  advance_time(60s);
  for (int i = 0; i < 3; ++i) advance_time(8s + 4s);  // three backed-off retries
  auto s = status();
  BOOST_TEST(s.failures == 4u);
  BOOST_TEST(s.circuit == "open");
  const auto attempts = script->job_requests.size();

  // Open: neither the timer nor an explicit request reaches the distribution system.
  caf::anon_send(fetcher, atom::fetch_now_v);
  advance_time(29s);
  BOOST_TEST(script->job_requests.size() == attempts);

  // Half-open: one attempt; it fails and the circuit opens again.
  advance_time(1s);
  BOOST_TEST(script->job_requests.size() == attempts + 1);
  BOOST_TEST(status().circuit == "open");

  script->fail_next = 0;
  advance_time(30s);
  BOOST_TEST(status().circuit == "closed");
}

BOOST_AUTO_TEST_CASE(a_request_that_is_never_answered_times_out) {
  script->silent = true;
  start(config());
  BOOST_TEST(log->models.empty());
  advance_time(5s);
  auto s = status();
  BOOST_TEST(s.failures == 1u);
  BOOST_TEST(s.last_error.find("GET inventory") != std::string::npos);
  BOOST_TEST(!s.stale_snapshot);  // nothing good to fall back on yet
}

BOOST_AUTO_TEST_CASE(fetch_now_fetches_at_once_and_new_devices_reread_the_inventory) {
  start(config());
  const auto inventories = script->inventory_requests;
  const auto requests = script->job_requests.size();
  caf::anon_send(fetcher, atom::fetch_now_v);
  run();
  BOOST_TEST(script->job_requests.size() == requests + 1);
  BOOST_TEST(script->inventory_requests == inventories);

  auto topology = one_proxy();
  topology.proxies.front().devices.push_back("d3");
  script->inventory.devices.push_back({"d3", "c1", "m", domain::monitoring_mode::proxy, {"p1"}});
  caf::anon_send(fetcher, topology);
  run();
  BOOST_TEST(script->inventory_requests == inventories + 1);
  BOOST_TEST(log->models.back()->full);
  BOOST_TEST(log->models.back()->fleet.devices.size() == 3u);
  BOOST_TEST(script->topologies.back().proxies.front().devices.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_topology_of_listed_devices_rebuilds_without_reading_the_inventory) {
  start(config());
  const auto inventories = script->inventory_requests;
  auto topology = one_proxy();
  topology.proxies.front().capacity = 3;
  topology.proxies.front().devices = {"d2"};
  caf::anon_send(fetcher, topology);
  run();
  BOOST_TEST(script->inventory_requests == inventories);
  BOOST_TEST(log->models.back()->full);
  BOOST_TEST(log->models.back()->fleet.proxies.front().capacity == 3);
  BOOST_TEST(log->models.back()->fleet.devices.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_new_topology_is_detected_on_the_last_good_snapshot_while_fetches_fail) {
  start(config());
  script->fail_next = 100;
  auto topology = one_proxy();
  topology.proxies.front().devices = {"d1"};
  caf::anon_send(fetcher, topology);
  run();
  BOOST_TEST(log->models.back()->full);
  BOOST_TEST(log->models.back()->fleet.devices.size() == 1u);
  BOOST_TEST(status().stale_snapshot);
}

BOOST_AUTO_TEST_CASE(observed_durations_lengthen_predictions) {
  start(config());
  for (int i = 0; i < 3; ++i)
    caf::anon_send(fetcher, std::string("node-1"),
                   messages::observed_duration{"m", "fw", 1'000'000, 900'000, t0, {}, 0, 0});
  run();
  const auto& model = *log->models.back();
  BOOST_TEST(!model.full);
  BOOST_TEST(model.changed_jobs.size() == 2u);
  BOOST_TEST(model.fleet.jobs[0].duration_s == 900);
}

BOOST_AUTO_TEST_CASE(detectors_attached_later_get_the_current_model_at_once) {
  start(config());
  auto late = std::make_shared<test::model_log>();
  auto detector = keep(system.spawn(test::recording_detector, late));
  caf::anon_send(fetcher, std::vector<detector::load_detector_actor>{detector});
  run();
  BOOST_REQUIRE_EQUAL(late->models.size(), 1u);
  BOOST_TEST(late->models.front()->full);
}

BOOST_AUTO_TEST_CASE(a_full_refresh_runs_beside_the_changes_and_drops_deleted_jobs) {
  auto swept = std::make_shared<test::scripted_distribution>(*script);
  auto sweeper = keep(system.spawn(held_distribution, swept, false));
  auto c = config();
  c.full_refresh_every = 2;
  start(c, caf::actor_cast<detector::distribution_client_actor>(sweeper));
  release(sweeper);  // the first fetch's inventory
  BOOST_REQUIRE_EQUAL(log->models.size(), 1u);
  advance_time(60s);
  BOOST_TEST(ask<std::int64_t>(sweeper, atom::status_v).value_or(-1) == 0);
  advance_time(60s);
  BOOST_TEST(ask<std::int64_t>(sweeper, atom::status_v).value_or(-1) == 1);

  // While the refresh is held, a change is fetched and published as usual.
  script->jobs[0].start += 900;
  script->jobs[0].version = 2;
  script->jobs[0].updated_at = t0 + 10;
  caf::anon_send(fetcher, atom::fetch_now_v);
  run();
  BOOST_REQUIRE_EQUAL(log->models.size(), 2u);
  BOOST_TEST(log->models.back()->fleet.jobs[0].start == t0 + 3600 + 900);

  // The refresh read j1 before that change and no longer finds j2: j2 is gone, j1 keeps
  // its newer start, and nothing is rebuilt.
  swept->jobs.pop_back();
  caf::anon_send(sweeper, std::string("release"));
  run();
  BOOST_REQUIRE_EQUAL(log->models.size(), 3u);
  const auto& model = *log->models.back();
  BOOST_TEST(!model.full);
  BOOST_REQUIRE_EQUAL(model.changed_jobs.size(), 1u);
  BOOST_TEST(model.fleet.jobs[model.changed_jobs[0]].id == "j2");
  BOOST_TEST(model.counting.job_counts[model.changed_jobs[0]] == 0);
  BOOST_TEST(model.fleet.jobs[0].start == t0 + 3600 + 900);
  BOOST_TEST(status().last_error.empty());
}

BOOST_AUTO_TEST_CASE(the_first_fetch_reads_the_inventory_on_the_sweeper_beside_the_jobs) {
  auto swept = std::make_shared<test::scripted_distribution>(*script);
  auto sweeper = keep(system.spawn(held_distribution, swept, false));
  start(config(), caf::actor_cast<detector::distribution_client_actor>(sweeper));
  // The jobs were asked on the client while the sweeper still holds the devices; the
  // services are asked once the devices are in.
  BOOST_TEST(script->job_requests.size() == 1u);
  BOOST_TEST(script->inventory_requests == 0);
  BOOST_TEST(ask<std::int64_t>(sweeper, atom::status_v).value_or(-1) == 1);
  caf::anon_send(sweeper, std::string("release"));
  run();
  BOOST_TEST(ask<std::int64_t>(sweeper, atom::status_v).value_or(-1) == 1);
  BOOST_TEST(log->models.empty());
  caf::anon_send(sweeper, std::string("release"));
  run();
  BOOST_REQUIRE_EQUAL(log->models.size(), 1u);
  BOOST_TEST(log->models.front()->full);
  BOOST_TEST(log->models.front()->fleet.jobs.size() == 2u);
  BOOST_TEST(status().last_error.empty());
  // The topology goes out on the sweeper too, never in front of a fetch of changes.
  BOOST_TEST(swept->topologies.size() == 1u);
  BOOST_TEST(script->topologies.empty());
}

BOOST_AUTO_TEST_CASE(a_first_fetch_builds_the_model_from_its_parts_as_they_arrive) {
  with_services();
  // The services come after the devices (both on the sweeper); the jobs at any point.
  for (const auto& order : std::vector<std::vector<std::string>>{{"jobs", "devices", "services"},
                                                                 {"devices", "jobs", "services"},
                                                                 {"devices", "services", "jobs"}}) {
    auto sweeper = keep(system.spawn(held_distribution, script, false));
    auto client = keep(system.spawn(held_distribution, script, true));
    const auto models = log->models.size();
    start(config(), caf::actor_cast<detector::distribution_client_actor>(sweeper),
          caf::actor_cast<detector::distribution_client_actor>(client));
    for (const auto& part : order) {
      BOOST_TEST(log->models.size() == models, "published before the " << part);
      caf::anon_send(part == "jobs" ? client : sweeper, "release " + part);
      run();
    }
    BOOST_REQUIRE_EQUAL(log->models.size(), models + 1);
    BOOST_TEST(log->models.back()->full);
    BOOST_TEST(summary(*log->models.back()) == summary(*rebuilt(one_proxy())),
               order.front() << ", " << order[1] << ", " << order.back());
    BOOST_TEST(status().last_error.empty());
  }
}

BOOST_AUTO_TEST_CASE(a_topology_change_while_the_parts_arrive_builds_the_model_anew) {
  with_services();
  auto sweeper = keep(system.spawn(held_distribution, script, false));
  start(config(), caf::actor_cast<detector::distribution_client_actor>(sweeper));
  caf::anon_send(sweeper, std::string("release devices"));
  run();
  // The draft holds d1 and d2 behind p1 of capacity 2; then the node reports otherwise.
  auto topology = one_proxy();
  topology.proxies.front().capacity = 3;
  topology.proxies.front().devices = {"d2"};
  caf::anon_send(fetcher, topology);
  run();
  release(sweeper);
  BOOST_REQUIRE(!log->models.empty());
  const auto& model = *log->models.back();
  BOOST_TEST(model.fleet.proxies.front().capacity == 3);
  BOOST_TEST(model.fleet.devices.size() == 1u);
  BOOST_TEST(summary(model) == summary(*rebuilt(topology)));
}

BOOST_AUTO_TEST_CASE(a_first_fetch_built_in_parts_reports_a_record_that_breaks_the_model) {
  with_services();
  script->inventory.services.push_back({std::nullopt, "nobody", "status_monitoring", t0, 600, 30});
  auto sweeper = keep(system.spawn(held_distribution, script, false));
  start(config(), caf::actor_cast<detector::distribution_client_actor>(sweeper));
  release(sweeper);
  BOOST_TEST(log->models.empty());
  const auto error = status().last_error;
  BOOST_TEST(error.find("services.status_monitoring.customer") != std::string::npos, error);
  BOOST_TEST(error.find("unknown customer nobody") != std::string::npos, error);
}

BOOST_AUTO_TEST_CASE(a_first_fetch_whose_jobs_fail_counts_once_and_drops_the_late_inventory) {
  auto sweeper = keep(system.spawn(held_distribution, script, false));
  script->fail_next = 1;
  start(config(), caf::actor_cast<detector::distribution_client_actor>(sweeper));
  BOOST_TEST(status().failures == 1u);
  BOOST_TEST(status().last_error.find("GET jobs") != std::string::npos);
  // The late devices are dropped, and the services are not asked for.
  caf::anon_send(sweeper, std::string("release"));
  run();
  BOOST_TEST(ask<std::int64_t>(sweeper, atom::status_v).value_or(-1) == 0);
  BOOST_TEST(log->models.empty());
  BOOST_TEST(status().failures == 1u);
  // The retry after the backoff reads all again and publishes.
  advance_time(2s);
  release(sweeper);
  BOOST_REQUIRE_EQUAL(log->models.size(), 1u);
  BOOST_TEST(status().failures == 1u);
}

BOOST_AUTO_TEST_CASE(backoff_delay_doubles_up_to_the_maximum_plus_jitter) {
  auto c = config();
  BOOST_TEST(detector::backoff_delay(c, 1, 0.0) == caf::timespan{1s});
  BOOST_TEST(detector::backoff_delay(c, 3, 0.0) == caf::timespan{4s});
  BOOST_TEST(detector::backoff_delay(c, 10, 0.0) == caf::timespan{8s});
  BOOST_TEST(detector::backoff_delay(c, 10, 0.999) < caf::timespan{12s});
}

BOOST_AUTO_TEST_SUITE_END()
