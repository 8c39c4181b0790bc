// The node agent's bus side on the CAF test coordinator: what each relay event becomes
// on the bus, the heartbeat period on the simulated clock, and the events held until a
// bridge is attached. The agent and the bridge are mocks implementing their full
// interfaces; nothing touches a socket.
#define BOOST_TEST_MODULE node bus adapter
#include "actors/relay/node_bus_adapter.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <memory>
#include <optional>

#include "actors/relay/node_bus_mapping.hpp"
#include "tests/support/actor_fixture.hpp"

using namespace headroom;
using namespace std::chrono_literals;
using messages::session_outcome;

namespace {

constexpr domain::instant now_utc = 1'764'028'800;

// What the mock bridge was given, in order.
struct bridge_log {
  std::vector<messages::node_heartbeat> heartbeats;
  std::vector<messages::devices_seen> devices;
  std::vector<messages::session_event> events;
  std::vector<messages::observed_duration> durations;
  std::size_t event_messages = 0;  ///< Actor messages that carried session events.
};

bus::node_bridge_actor::behavior_type mock_bridge(bus::node_bridge_actor::pointer,
                                                  std::shared_ptr<bridge_log> log) {
  return {
      [log](const messages::node_heartbeat& h) { log->heartbeats.push_back(h); },
      [log](const messages::devices_seen& d) { log->devices.push_back(d); },
      [log](const messages::session_event& e) {
        ++log->event_messages;
        log->events.push_back(e);
      },
      [log](const std::vector<messages::session_event>& events) {
        ++log->event_messages;
        log->events.insert(log->events.end(), events.begin(), events.end());
      },
      [log](const messages::observed_duration& d) { log->durations.push_back(d); },
      [](atom::get) {
        bus::bridge_stats stats;
        stats.announcements = 2;
        stats.dropped = 5;
        stats.spooled = 7;
        stats.spool_dropped = 2;
        return stats;
      },
  };
}

// The agent: answers its load; everything a sink's agent is not asked fails the test.
struct agent_log {
  relay::relay_status load;
  std::vector<relay::relay_event_sink_actor> sinks;
  int status_requests = 0;
};

relay::node_agent_actor::behavior_type mock_agent(relay::node_agent_actor::pointer,
                                                  std::shared_ptr<agent_log> log) {
  return {
      [](atom::admit, const std::string&, const std::string&) -> relay::admission {
        BOOST_FAIL("the adapter asked for admission");
        return {};
      },
      [](const relay::session_report&) { BOOST_FAIL("the adapter sent a session report"); },
      [](const relay::refusal&) { BOOST_FAIL("the adapter sent a refusal"); },
      [log](atom::status) {
        ++log->status_requests;
        return log->load;
      },
      [log](atom::subscribe, const relay::relay_event_sink_actor& sink) {
        log->sinks.push_back(sink);
      },
  };
}

relay::session_report report_of(const std::string& device, std::int64_t duration_ms) {
  relay::session_report r;
  r.session_id = 7;
  r.device_id = device;
  r.client_address = "10.0.0.7";
  r.admitted = true;
  r.duration_ms = duration_ms;
  r.totals.bytes_from_device = 300;
  r.totals.bytes_to_device = 5'000'000;
  r.totals.requests = 3;
  return r;
}

struct adapter_fixture : test::actor_fixture {
  std::shared_ptr<bridge_log> sent = std::make_shared<bridge_log>();
  std::shared_ptr<agent_log> agent_seen = std::make_shared<agent_log>();
  relay::node_agent_actor agent;
  bus::node_bridge_actor bridge;
  relay::node_bus_adapter_actor adapter;

  static relay::node_bus_adapter_config config() {
    relay::node_bus_adapter_config c;
    c.proxy_id = "proxy-osaka";
    c.endpoint = "tcp://127.0.0.1:7301";
    c.heartbeat_interval = 1s;
    c.modes = {{"printer-direct", domain::monitoring_mode::direct}};
    c.models = {{"printer-1", "mx-3000"}};
    c.clock = domain::wall_clock::fixed(now_utc);
    return c;
  }

  void start(relay::node_bus_adapter_config c = config(), bool connected = true,
             bool attached = true) {
    agent_seen->load.active_connections = 5;
    agent_seen->load.active_devices = 3;
    agent_seen->load.queued = 2;
    agent = system.spawn(mock_agent, agent_seen);
    bridge = system.spawn(mock_bridge, sent);
    auto spawned = relay::spawn_node_bus_adapter(system, std::move(c), agent);
    BOOST_REQUIRE(spawned);
    adapter = *spawned;
    if (attached) caf::anon_send(adapter, atom::attach_v, bridge);
    if (connected) caf::anon_send(adapter, atom::hub_up_v, std::string{"instance-1"});
    run();
  }

  relay::detector_link link() {
    std::optional<relay::detector_link> result;
    // The handle goes as an argument: CAF 0.17 dereferences a null tuple for a spawn without any.
    system.spawn(
        [&result](caf::event_based_actor* self, const relay::node_bus_adapter_actor& a) {
          self->request(a, caf::infinite, atom::status_v)
              .then([&result](const relay::detector_link& l) { result = l; });
        },
        adapter);
    run();
    BOOST_REQUIRE(result);
    return *result;
  }

  ~adapter_fixture() {
    for (const auto& a : {caf::actor_cast<caf::actor>(adapter), caf::actor_cast<caf::actor>(agent)})
      if (a) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    run();
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_package_is_the_path_below_the_package_prefix) {
  BOOST_TEST(*relay::package_of("http://dist:8080/firmware/pkg-7", "/firmware/") == "pkg-7");
  BOOST_TEST(*relay::package_of("http://dist/firmware/fw%202.1?token=x#part", "/firmware/") ==
             "fw 2.1");
  BOOST_TEST(!relay::package_of("http://dist/firmware/", "/firmware/"));
  BOOST_TEST(!relay::package_of("http://dist/firmware/a/b", "/firmware/"));  // another route
  BOOST_TEST(!relay::package_of("http://dist/api/v1/packages", "/firmware/"));
  BOOST_TEST(!relay::package_of("http://dist/firmware/bad%2", "/firmware/"));
  BOOST_TEST(!relay::package_of("http://dist/firmware/bad%zz", "/firmware/"));
  BOOST_TEST(!relay::package_of("dist.example.com:443", "/firmware/"));  // a tunnel
  BOOST_TEST(*relay::package_of("http://dist/fw/x", "/fw/") == "x");
}

BOOST_FIXTURE_TEST_SUITE(adapter_suite, adapter_fixture)

BOOST_AUTO_TEST_CASE(subscribes_to_the_agent) {
  start();
  BOOST_REQUIRE(agent_seen->sinks.size() == 1u);
  BOOST_TEST((agent_seen->sinks[0].address() == adapter.address()));
}

BOOST_AUTO_TEST_CASE(a_session_report_becomes_opened_and_closed_events_with_its_totals) {
  start();
  auto report = report_of("printer-1", 42'500);
  report.totals.transfers.push_back(
      {"GET", "http://dist.example:8080/firmware/pkg-7", 200, 4'000'000, 40'000});
  caf::anon_send(adapter, report);
  run();
  BOOST_REQUIRE(sent->events.size() == 2u);
  BOOST_TEST(sent->event_messages == 1u);  // one actor message for the pair
  const auto& opened = sent->events[0];
  BOOST_TEST(opened.device_id == "printer-1");
  BOOST_TEST(opened.proxy_id == "proxy-osaka");
  BOOST_TEST((opened.outcome == session_outcome::opened));
  BOOST_TEST(opened.at == now_utc - 42);
  BOOST_TEST(opened.upstream == "dist.example:8080");
  const auto& closed = sent->events[1];
  BOOST_TEST((closed.outcome == session_outcome::closed));
  BOOST_TEST(closed.at == now_utc);
  BOOST_TEST(closed.bytes_up == 300u);
  BOOST_TEST(closed.bytes_down == 5'000'000u);
  BOOST_TEST(closed.duration_ms == 42'500);
  BOOST_TEST(closed.upstream == "dist.example:8080");
}

BOOST_AUTO_TEST_CASE(a_session_never_admitted_sends_no_session_event) {
  start();
  auto report = report_of("printer-1", 10);
  report.admitted = false;
  caf::anon_send(adapter, report);
  run();
  BOOST_TEST(sent->events.empty());
}

BOOST_AUTO_TEST_CASE(package_downloads_become_observed_durations_with_the_configured_model) {
  start();
  auto report = report_of("printer-1", 60'000);
  report.totals.transfers = {
      {"GET", "http://dist:80/firmware/pkg-7", 200, 4'000'000, 40'000},
      {"GET", "http://dist:80/firmware/pkg-8?part=2", 206, 1'000'000, 9'000},
      {"GET", "http://dist:80/firmware/pkg-9", 404, 2'000'000, 100},     // not a delivery
      {"PUT", "http://dist:80/firmware/pkg-7", 200, 4'000'000, 50'000},  // an upload
      {"GET", "http://dist:80/logs/big.tar", 200, 9'000'000, 70'000},    // not a package
      {"CONNECT", "dist:443", 200, 8'000'000, 60'000},                   // a tunnel: encrypted
  };
  caf::anon_send(adapter, report);
  auto unknown = report_of("printer-2", 1'000);
  unknown.totals.transfers = {{"GET", "http://dist:80/firmware/pkg-7", 200, 4'000'000, 30'000}};
  caf::anon_send(adapter, unknown);
  run();
  BOOST_REQUIRE(sent->durations.size() == 3u);
  BOOST_TEST((sent->durations[0] == messages::observed_duration{
                                        "mx-3000", "pkg-7", 4'000'000, 40'000, now_utc, {}, 0, 0}));
  BOOST_TEST((sent->durations[1] == messages::observed_duration{
                                        "mx-3000", "pkg-8", 1'000'000, 9'000, now_utc, {}, 0, 0}));
  BOOST_TEST((sent->durations[2] ==
              messages::observed_duration{
                  relay::unknown_model, "pkg-7", 4'000'000, 30'000, now_utc, {}, 0, 0}));
}

BOOST_AUTO_TEST_CASE(refusals_for_load_become_refused_events_others_do_not) {
  start();
  using relay::refusal_reason;
  for (auto reason :
       {refusal_reason::capacity, refusal_reason::device_limit, refusal_reason::queue_full,
        refusal_reason::queue_timeout, refusal_reason::malformed, refusal_reason::forbidden,
        refusal_reason::upstream_failed, refusal_reason::header_timeout})
    caf::anon_send(adapter, relay::refusal{reason, "printer-1", "10.0.0.7", "x"});
  caf::anon_send(adapter, relay::refusal{refusal_reason::capacity, "", "10.0.0.8", "unidentified"});
  run();
  BOOST_REQUIRE(sent->events.size() == 4u);
  for (const auto& e : sent->events) {
    BOOST_TEST((e.outcome == session_outcome::refused));
    BOOST_TEST(e.device_id == "printer-1");
    BOOST_TEST(e.proxy_id == "proxy-osaka");
    BOOST_TEST(e.at == now_utc);
  }
}

BOOST_AUTO_TEST_CASE(devices_seen_carry_their_mode_and_go_out_together_with_the_next_beat) {
  start();
  const auto lists_at_start = sent->devices.size();
  caf::anon_send(adapter, relay::device_first_seen{"printer-1", "10.0.0.7", 1'764'028'800'123});
  caf::anon_send(adapter,
                 relay::device_first_seen{"printer-direct", "10.0.0.8", 1'764'028'801'000});
  run();
  BOOST_TEST(sent->devices.size() == lists_at_start);  // not before the beat
  advance_time(1s);
  BOOST_REQUIRE(sent->devices.size() == lists_at_start + 1);
  const auto& list = sent->devices.back();
  BOOST_TEST(list.proxy_id == "proxy-osaka");
  BOOST_REQUIRE(list.devices.size() == 2u);
  BOOST_TEST(
      (list.devices[0] == messages::device_seen{"printer-1", 1'764'028'800,
                                                domain::monitoring_mode::proxy, "10.0.0.7"}));
  BOOST_TEST(
      (list.devices[1] == messages::device_seen{"printer-direct", 1'764'028'801,
                                                domain::monitoring_mode::direct, "10.0.0.8"}));
  advance_time(1s);
  BOOST_TEST(sent->devices.size() == lists_at_start + 1);  // nothing new, nothing sent
}

BOOST_AUTO_TEST_CASE(the_default_mode_applies_to_devices_not_listed) {
  auto c = config();
  c.default_mode = domain::monitoring_mode::direct;
  c.modes = {{"printer-proxy", domain::monitoring_mode::proxy}};
  start(c);
  caf::anon_send(adapter, relay::device_first_seen{"printer-1", "10.0.0.7", 0});
  caf::anon_send(adapter, relay::device_first_seen{"printer-proxy", "10.0.0.8", 0});
  advance_time(1s);
  BOOST_REQUIRE(!sent->devices.empty());
  BOOST_REQUIRE(sent->devices.back().devices.size() == 2u);
  BOOST_TEST((sent->devices.back().devices[0].mode == domain::monitoring_mode::direct));
  BOOST_TEST((sent->devices.back().devices[1].mode == domain::monitoring_mode::proxy));
}

BOOST_AUTO_TEST_CASE(the_agents_load_goes_to_the_bridge_every_heartbeat_interval) {
  start();
  BOOST_REQUIRE(sent->heartbeats.size() == 1u);  // at start
  BOOST_TEST((sent->heartbeats[0] == messages::node_heartbeat{5, 3, 2}));
  advance_time(500ms);
  BOOST_TEST(sent->heartbeats.size() == 1u);
  advance_time(500ms);
  BOOST_TEST(sent->heartbeats.size() == 2u);
  agent_seen->load.active_devices = 4;
  advance_time(1s);
  BOOST_REQUIRE(sent->heartbeats.size() == 3u);
  BOOST_TEST(sent->heartbeats[2].live_devices == 4);
  for (int i = 0; i < 10; ++i) advance_time(1s);
  BOOST_TEST(sent->heartbeats.size() == 13u);
  BOOST_TEST(agent_seen->status_requests == 13);
}

BOOST_AUTO_TEST_CASE(events_wait_for_a_bridge_and_the_oldest_go_past_the_bound) {
  auto c = config();
  c.held_limit = 3;
  start(c, false, false);
  BOOST_TEST(link().state == "connecting");
  caf::anon_send(adapter, report_of("printer-1", 1'000));  // opened + closed
  caf::anon_send(adapter, report_of("printer-2", 2'000));  // opened + closed: the oldest goes
  run();
  BOOST_TEST(sent->events.empty());
  auto held = link();
  BOOST_TEST(held.held == 3u);
  BOOST_TEST(held.dropped == 1u);
  caf::anon_send(adapter, atom::attach_v, bridge);
  run();
  BOOST_REQUIRE(sent->events.size() == 3u);
  BOOST_TEST(
      (sent->events[0].outcome == session_outcome::closed));  // printer-1's opened was dropped
  BOOST_TEST(sent->events[0].device_id == "printer-1");
  BOOST_TEST(sent->events[1].device_id == "printer-2");
  BOOST_TEST(sent->events[2].device_id == "printer-2");
  auto attached = link();  // now the bridge's spool counts as well
  BOOST_TEST(attached.held == 7u);
  BOOST_TEST(attached.dropped == 3u);
}

BOOST_AUTO_TEST_CASE(a_stale_detector_does_not_stop_events_the_bridge_spools_them) {
  start();
  caf::anon_send(adapter, atom::hub_stale_v);
  run();
  BOOST_TEST(link().state == "stale");
  auto report = report_of("printer-1", 1'000);
  report.totals.transfers = {{"GET", "http://dist/firmware/pkg-7", 200, 4'000'000, 900}};
  caf::anon_send(adapter, report);
  caf::anon_send(adapter,
                 relay::refusal{relay::refusal_reason::capacity, "printer-2", "10.0.0.8", "full"});
  run();
  BOOST_REQUIRE(sent->events.size() == 3u);
  BOOST_TEST((sent->events[2].outcome == session_outcome::refused));
  BOOST_TEST(sent->durations.size() == 1u);
  caf::anon_send(adapter, atom::hub_up_v, std::string{"instance-2"});
  run();
  BOOST_TEST(link().instance_id == "instance-2");
  BOOST_TEST(link().held == 7u);  // the bridge's spool
}

BOOST_AUTO_TEST_CASE(status_adds_the_bridges_counters) {
  start();
  auto l = link();
  BOOST_TEST(l.state == "connected");
  BOOST_TEST(l.endpoint == "tcp://127.0.0.1:7301");
  BOOST_TEST(l.announcements == 2u);
  BOOST_TEST(l.bus_dropped == 5u);
}

BOOST_AUTO_TEST_CASE(the_adapter_and_its_bridge_end_with_the_agent) {
  start();
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  run();
  bool adapter_gone = false;
  bool bridge_gone = false;
  system.spawn(
      [&](caf::event_based_actor* self, const relay::node_bus_adapter_actor& a,
          const bus::node_bridge_actor& b) -> caf::behavior {
        self->monitor(a);
        self->monitor(b);
        self->set_down_handler([&, self, a](const caf::down_msg& d) {
          (d.source == a.address() ? adapter_gone : bridge_gone) = true;
          if (adapter_gone && bridge_gone) self->quit();
        });
        return {[](int) {}};  // alive until both are down
      },
      adapter, bridge);
  run();
  BOOST_TEST(adapter_gone);
  BOOST_TEST(bridge_gone);
}

BOOST_AUTO_TEST_CASE(bad_settings_are_refused_with_their_name) {
  auto c = config();
  c.clock = {};
  auto spawned =
      relay::spawn_node_bus_adapter(system, c, caf::actor_cast<relay::node_agent_actor>(agent));
  BOOST_TEST(!spawned);
  c = config();
  c.held_limit = 0;
  spawned =
      relay::spawn_node_bus_adapter(system, c, caf::actor_cast<relay::node_agent_actor>(agent));
  BOOST_REQUIRE(!spawned);
  BOOST_TEST(system.render(spawned.error()).find("held_limit") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
