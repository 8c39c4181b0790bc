// A real `headroom relay` killed (SIGKILL) and restarted under load, HEADROOM_FAULT_TRIES
// times (default 3): devices download through it while the detector's bus side (a hub in
// this process, as the detector runs it) comes and goes.
//
// Per try: downloads complete with the detector up; the detector goes down; more
// downloads complete (their events wait in the relay's spool); downloads are in flight;
// SIGKILL. Then: every in-flight download fails within 5 s (no hang); the relay restarts
// with the detector still down, keeping its spool; the detector comes back and the node is
// live again within the heartbeat timeout; every download's events arrive exactly once.
#define BOOST_TEST_MODULE relay kill fault
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <map>

#include "tests/support/bus_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/relay_client.hpp"
#include "tests/support/relay_process.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/test_upstream.hpp"

using namespace headroom;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto heartbeat_timeout = 1000ms;
constexpr auto fail_bound = 5000ms;  ///< In-flight downloads must fail within this of the kill.

int tries() {
  const char* text = std::getenv("HEADROOM_FAULT_TRIES");
  return text ? std::max(1, std::atoi(text)) : 3;
}

std::int64_t ms_since(clock_type::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start).count();
}

/// One download of `path` by DEVICE through the relay; true when it completed.
bool download(std::uint16_t relay, std::uint16_t upstream, const std::string& device,
              const std::string& path) {
  try {
    test::relay_client client{relay, 10};
    client.get(upstream, path, test::device_header(device) + "Connection: close\r\n");
    boost::system::error_code ec;
    auto response = client.read(ec);
    return !ec && response.result_int() == 200;
  } catch (const std::exception&) {
    return false;
  }
}

/// Closed session events per device, over every detector instance of the test.
struct tally {
  std::map<std::string, int> closed;
  void add(const test::event_log& log) {
    for (const auto& e : log.events())
      if (e.body)
        if (const auto* s = std::get_if<messages::session_event>(&*e.body))
          if (s->outcome == messages::session_outcome::closed) ++closed[s->device_id];
  }
};

std::size_t closed_in(const test::event_log& log, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& e : log.events())
    if (e.body)
      if (const auto* s = std::get_if<messages::session_event>(&*e.body))
        n += s->outcome == messages::session_outcome::closed && s->device_id.rfind(prefix, 0) == 0;
  return n;
}

bus::hub_config hub_config(const std::string& router, const std::string& pub) {
  auto c = test::fast_hub(router, pub);
  c.heartbeat_interval = 100ms;
  c.heartbeat_timeout = heartbeat_timeout;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_killed_relay_fails_downloads_cleanly_and_loses_no_event) {
  const int n = tries();
  constexpr int per_phase = 5;
  constexpr int in_flight = 4;
  zmq::context_t context;
  test::scratch_dir dir;
  test::test_upstream upstream;
  auto detector = std::make_unique<test::bus_side>();
  auto hub = detector->start_hub(context, hub_config("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
  const auto router = hub.router_endpoint;
  const auto pub = hub.pub_endpoint;
  const auto config = dir.file("relay.toml");
  test::write_relay_config(config, "kill", router, pub, upstream.port(), dir.file("spool"));
  tally seen;
  std::int64_t worst_fail_ms = 0;
  std::int64_t worst_recovery_ms = 0;
  int hung = 0;
  auto relay = std::make_unique<test::running_relay>(config);
  BOOST_TEST_REQUIRE(detector->log->wait_for("node_up"));
  for (int t = 0; t < n; ++t) {
    const auto tag = "t" + std::to_string(t) + "-";
    // Detector up: downloads complete and their events are taken.
    for (int i = 0; i < per_phase; ++i)
      BOOST_TEST(download(relay->port, upstream.port(), tag + "up-" + std::to_string(i), "/small"));
    BOOST_TEST_REQUIRE(
        test::eventually([&] { return closed_in(*detector->log, tag + "up-") >= per_phase; }, 10s));
    // Acked before the detector goes: what follows is the spool's alone.
    BOOST_TEST_REQUIRE(test::eventually(
        [&] {
          return test::metric_value(test::http_get(relay->admin, "/metrics"),
                                    "headroom_relay_bus_held") == 0;
        },
        10s));
    seen.add(*detector->log);
    detector.reset();  // the detector process is gone
    // Detector down: downloads complete, their events wait in the spool.
    for (int i = 0; i < per_phase; ++i)
      BOOST_TEST(
          download(relay->port, upstream.port(), tag + "down-" + std::to_string(i), "/small"));
    // Downloads in flight (the upstream holds them 20 s), then the kill.
    const auto requests_before = upstream.requests();
    std::vector<std::future<std::int64_t>> flying;
    for (int i = 0; i < in_flight; ++i)
      flying.push_back(std::async(std::launch::async, [&, i] {
        test::relay_client client{relay->port, 10};
        client.get(upstream.port(), "/slow/20000",
                   test::device_header(tag + "flight-" + std::to_string(i)));
        boost::system::error_code ec;
        client.read(ec);
        return static_cast<std::int64_t>(ec ? 0 : 1);  // 1: completed, which it must not
      }));
    BOOST_TEST_REQUIRE(
        test::eventually([&] { return upstream.requests() >= requests_before + in_flight; }, 10s));
    const auto killed = clock_type::now();
    relay->process->kill_now();
    for (auto& f : flying) {
      if (f.wait_for(fail_bound + 1s) != std::future_status::ready) {
        ++hung;
        continue;
      }
      BOOST_TEST(f.get() == 0);
    }
    worst_fail_ms = std::max(worst_fail_ms, ms_since(killed));
    // The relay comes back first, the detector after it: the spool crosses the restart.
    relay = std::make_unique<test::running_relay>(config);
    detector = std::make_unique<test::bus_side>();
    const auto back = clock_type::now();
    detector->start_hub(context, hub_config(router, pub));
    BOOST_TEST_REQUIRE(detector->log->wait_for("node_up"));
    worst_recovery_ms = std::max(worst_recovery_ms, ms_since(back));
    BOOST_TEST_REQUIRE(test::eventually(
        [&] { return closed_in(*detector->log, tag + "down-") >= per_phase; }, 10s));
  }
  // Let a late duplicate show before counting.
  test::eventually([] { return false; }, 500ms);
  seen.add(*detector->log);
  relay->process->stop();

  int lost = 0;
  int duplicated = 0;
  for (int t = 0; t < n; ++t)
    for (const char* phase : {"up-", "down-"})
      for (int i = 0; i < per_phase; ++i) {
        const auto device = "t" + std::to_string(t) + "-" + phase + std::to_string(i);
        const int count = seen.closed.count(device) ? seen.closed.at(device) : 0;
        lost += count == 0;
        duplicated += std::max(0, count - 1);
      }
  BOOST_TEST(lost == 0);
  BOOST_TEST(duplicated == 0);
  BOOST_TEST(hung == 0);
  BOOST_TEST(worst_fail_ms <= fail_bound.count());
  BOOST_TEST(worst_recovery_ms <= heartbeat_timeout.count());
  std::cout << "reliability: {\"fault\": \"relay SIGKILL under load\", \"tries\": " << n
            << ", \"lost\": " << lost << ", \"duplicated\": " << duplicated << ", \"detail\": \""
            << n * in_flight << " in-flight downloads failed within " << worst_fail_ms
            << " ms of the kill (bound " << fail_bound.count() << " ms, " << hung
            << " hung); node live again " << worst_recovery_ms
            << " ms after the detector returned at worst (heartbeat timeout "
            << heartbeat_timeout.count() << " ms); " << n * per_phase
            << " downloads' events spooled across the kill and a detector outage\"}" << std::endl;
}
