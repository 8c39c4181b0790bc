// The node agent and a detector over the bus: a relay node started with a detector
// endpoint, a hub bridge on tcp://127.0.0.1 whose listener records what arrives, and a
// real request through the relay. Then the detector goes away, an event is held, and a
// new detector on the same endpoints gets the node's re-announcement and the held event.
// The bus runs on real time (ZeroMQ threads): heartbeats every 20 ms, and every wait is
// bounded.
#define BOOST_TEST_MODULE relay node on the bus
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "bus/curve.hpp"
#include "tests/support/bus_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/relay_client.hpp"
#include "tests/support/relay_fixture.hpp"

using namespace headroom;
using namespace std::chrono_literals;
using test::relay_client;

namespace {

struct relay_bus_fixture : test::relay_fixture {
  zmq::context_t detector_host;  ///< The detector's process, as far as ZeroMQ is concerned.

  relay::relay_config config_for(const bus::hub_endpoint& hub) const {
    auto c = base_config();
    c.detector = hub.router_endpoint;
    c.detector_pub = hub.pub_endpoint;
    c.node_id = "node-e2e";
    c.spool_dir = "";  // the events' spool in memory: each case starts with none
    c.admission.capacity = 10;
    c.admission.threshold = 8;
    c.heartbeat_interval = 20ms;
    c.heartbeat_timeout = 200ms;
    c.devices = {{"127.0.0.1", "printer-a"}};
    c.direct_devices = {"printer-a"};
    return c;
  }

  relay::detector_link link() {
    caf::scoped_actor self{system};
    relay::detector_link out;
    self->request(node->bus().adapter, 5s, atom::status_v)
        .receive([&](const relay::detector_link& l) { out = l; },
                 [&](const caf::error& e) { BOOST_FAIL("no link status: " << system.render(e)); });
    return out;
  }

  /// Polls the adapter (bounded) until its link satisfies `done`.
  template <class Predicate>
  relay::detector_link wait_link(Predicate done) {
    relay::detector_link l;
    test::eventually([&] { return done(l = link()); }, std::chrono::seconds{5});
    return l;
  }

  /// One device request through the relay, on a connection closed afterwards (which ends the
  /// session).
  void relay_one_request() {
    relay_client device(port());
    device.get(upstream.port(), "/small");
    BOOST_TEST(device.read().result_int() == 200);
  }
};

template <class T>
std::vector<T> bodies(const test::event_log& log, const std::string& kind) {
  std::vector<T> out;
  for (const auto& e : log.events())
    if (e.kind == kind && e.body) out.push_back(std::get<T>(*e.body));
  return out;
}

bool has_device(const std::vector<messages::devices_seen>& lists, const std::string& device) {
  for (const auto& list : lists)
    for (const auto& d : list.devices)
      if (d.device_id == device) return true;
  return false;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(
    session_events_and_devices_arrive_and_the_node_reannounces_to_a_new_detector,
    relay_bus_fixture) {
  auto detector = std::make_unique<test::bus_side>();
  auto hub =
      detector->start_hub(detector_host, test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
  start(config_for(hub));

  // Hello from the relay's configuration, then registration.
  BOOST_TEST_REQUIRE(detector->log->wait_for("node_up", 1, "node-e2e"));
  auto hellos = bodies<messages::node_hello>(*detector->log, "node_hello");
  BOOST_REQUIRE(hellos.size() == 1u);
  BOOST_TEST(hellos[0].node_id == "node-e2e");
  BOOST_TEST(hellos[0].proxy_ids == std::vector<std::string>{"test-proxy"});
  BOOST_TEST(hellos[0].capacity == 10);
  BOOST_TEST(hellos[0].threshold == 8);
  const auto first = wait_link([](const auto& l) { return l.state == "connected"; });
  BOOST_TEST_REQUIRE(first.state == "connected");

  // A device relays a request: it is seen (in its configured mode), and its session is reported.
  relay_one_request();
  BOOST_TEST_REQUIRE(detector->log->wait_until([](const auto& events) {
    return test::event_log::count_in(events, "session_event", "node-e2e") >= 2 &&
           test::event_log::count_in(events, "devices_seen", "node-e2e") >= 1;
  }));
  auto seen = bodies<messages::devices_seen>(*detector->log, "devices_seen");
  BOOST_REQUIRE(seen[0].devices.size() == 1u);
  BOOST_TEST(seen[0].proxy_id == "test-proxy");
  BOOST_TEST(seen[0].devices[0].device_id == "printer-a");
  BOOST_TEST((seen[0].devices[0].mode == domain::monitoring_mode::direct));
  BOOST_TEST(seen[0].devices[0].address == "127.0.0.1");
  auto events = bodies<messages::session_event>(*detector->log, "session_event");
  BOOST_TEST((events[0].outcome == messages::session_outcome::opened));
  BOOST_TEST((events[1].outcome == messages::session_outcome::closed));
  BOOST_TEST(events[1].device_id == "printer-a");
  BOOST_TEST(events[1].proxy_id == "test-proxy");
  BOOST_TEST(events[1].bytes_down > 100u);  // the response with its head
  BOOST_TEST_REQUIRE(detector->log->wait_for("node_heartbeat", 3, "node-e2e"));

  // /status tells the operator the detector is connected.
  {
    relay_client admin(node->admin_port());
    admin.send("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    auto body = admin.read().body();
    BOOST_TEST(body.find("\"state\": \"connected\"") != std::string::npos, body);
  }

  // The detector goes away: the node notices, keeps relaying and holds the session's events.
  detector->stop(caf::actor_cast<caf::actor>(hub.bridge));
  detector.reset();
  BOOST_TEST_REQUIRE(wait_link([](const auto& l) { return l.state == "stale"; }).state == "stale");
  relay_one_request();
  BOOST_TEST_REQUIRE(wait_link([](const auto& l) { return l.held == 2; }).held == 2u);

  // A new detector on the same endpoints: hello and devices again, then the held events.
  test::bus_side restarted;
  restarted.start_hub(detector_host, test::fast_hub(hub.router_endpoint, hub.pub_endpoint));
  BOOST_TEST_REQUIRE(restarted.log->wait_for("node_hello", 1, "node-e2e"));
  BOOST_TEST_REQUIRE(restarted.log->wait_for("devices_seen", 1, "node-e2e"));
  BOOST_TEST(
      has_device(bodies<messages::devices_seen>(*restarted.log, "devices_seen"), "printer-a"));
  BOOST_TEST_REQUIRE(restarted.log->wait_for("session_event", 2, "node-e2e"));
  auto held = bodies<messages::session_event>(*restarted.log, "session_event");
  BOOST_TEST((held[0].outcome == messages::session_outcome::opened));
  BOOST_TEST((held[1].outcome == messages::session_outcome::closed));
  // Held events stay in the spool until the new detector acknowledges them, a moment after
  // it has taken them.
  const auto again = wait_link([](const auto& l) { return l.state == "connected" && l.held == 0; });
  BOOST_TEST(again.state == "connected");
  BOOST_TEST(again.instance_id != first.instance_id);
  BOOST_TEST(again.held == 0u);
  BOOST_TEST(again.dropped == 0u);
  BOOST_TEST(again.announcements == 2u);
  // And the relay served throughout.
  relay_one_request();
  BOOST_TEST_REQUIRE(restarted.log->wait_for("session_event", 4, "node-e2e"));
  node->stop();  // the bridge's sockets close before the detector's context goes
}

BOOST_FIXTURE_TEST_CASE(a_package_download_reports_its_transfer_time_with_the_devices_model,
                        relay_bus_fixture) {
  test::bus_side detector;
  auto hub =
      detector.start_hub(detector_host, test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
  auto c = config_for(hub);
  c.package_path = "/bytes/";  // the test upstream's download route: /bytes/N serves N bytes
  c.device_models = {{"printer-a", "mx-3000"}};
  start(c);
  BOOST_TEST_REQUIRE(wait_link([](const auto& l) { return l.state == "connected"; }).state ==
                     "connected");
  {
    relay_client device(port());
    device.get(upstream.port(), "/bytes/2000000");
    BOOST_TEST(device.read().body().size() == 2'000'000u);
  }
  BOOST_TEST_REQUIRE(detector.log->wait_for("observed_duration", 1, "node-e2e"));
  auto observed = bodies<messages::observed_duration>(*detector.log, "observed_duration");
  BOOST_TEST(observed[0].device_model == "mx-3000");
  BOOST_TEST(observed[0].package_id == "2000000");
  BOOST_TEST(observed[0].bytes == 2'000'000u);
  BOOST_TEST(observed[0].transfer_ms >= 0);
  node->stop();
}

BOOST_FIXTURE_TEST_CASE(without_a_detector_the_node_runs_standalone, relay_bus_fixture) {
  start(base_config());
  BOOST_TEST(!node->bus().adapter);
  relay_one_request();
  BOOST_TEST(status().detector.state == "standalone");
}

BOOST_FIXTURE_TEST_CASE(with_curve_keys_the_node_registers_with_a_detector_that_allows_its_key,
                        relay_bus_fixture) {
  BOOST_TEST_REQUIRE(bus::curve_available());
  const auto dir =
      std::filesystem::temp_directory_path() / ("headroom-relay-bus-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto detector_keys = bus::generate_keypair();
  auto node_keys = bus::generate_keypair();
  BOOST_REQUIRE(detector_keys && node_keys);
  BOOST_REQUIRE(!bus::write_keypair_files(*detector_keys, dir / "detector"));
  BOOST_REQUIRE(!bus::write_keypair_files(*node_keys, dir / "node"));
  test::bus_side detector;
  auto hub_config = test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  hub_config.curve = bus::hub_curve_config{*detector_keys, {node_keys->public_key}};
  auto hub = detector.start_hub(detector_host, hub_config);
  auto c = config_for(hub);
  c.key_file = (dir / "node.key").string();
  c.detector_key_file = (dir / "detector.pub").string();
  start(c);
  BOOST_TEST(detector.log->wait_for("node_up", 1, "node-e2e"));
  BOOST_TEST(wait_link([](const auto& l) { return l.state == "connected"; }).state == "connected");
  node->stop();
  std::filesystem::remove_all(dir);
}

BOOST_FIXTURE_TEST_CASE(an_unreadable_key_file_is_refused_at_start, relay_bus_fixture) {
  auto c = base_config();
  c.detector = "tcp://127.0.0.1:7301";
  c.key_file = "no-such-dir/node.key";
  c.detector_key_file = "no-such-dir/detector.pub";
  auto started = relay::relay_node::start(system, c, domain::wall_clock::fixed(0));
  BOOST_REQUIRE(!started);
  BOOST_TEST(system.render(started.error()).find("key_file") != std::string::npos,
             system.render(started.error()));
}
