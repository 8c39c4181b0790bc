// Soak: connection churn through a real `headroom relay` and its bus traffic to a detector
// (a hub in this process, acking every event), for HEADROOM_SOAK_SECONDS (default 120;
// `make test-soak SOAK_SECONDS=600` for 10 minutes). Every 2 s it samples the relay's open
// file descriptors, its RSS and its spool backlog (events not yet acked: the closest gauge
// to the mailboxes that the relay exports; CAF 0.17 exports none), and this process's RSS
// (the detector's side, with the test's clients and origin server). After a warm-up of a
// fifth of the run, none may grow beyond the stated bounds. Prints the figures.
#define BOOST_TEST_MODULE relay soak
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <iostream>
#include <thread>

#include "tests/support/bus_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/relay_client.hpp"
#include "tests/support/relay_process.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/test_upstream.hpp"

using namespace headroom;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t fd_bound = 16;               ///< Growth after warm-up.
constexpr std::int64_t rss_bound_kib = 32 * 1024;  ///< Growth after warm-up, each process.
constexpr double held_bound = 1000;                ///< Events awaiting an ack at any sample.
constexpr int clients = 8;
constexpr int devices = 200;

int soak_seconds() {
  const char* text = std::getenv("HEADROOM_SOAK_SECONDS");
  return text ? std::max(10, std::atoi(text)) : 120;
}

/// Counts the events the hub hands on, keeping none (a long run must not grow the test).
bus::hub_listener_actor::behavior_type counting_listener(
    bus::hub_listener_actor::pointer, std::shared_ptr<std::atomic<std::uint64_t>> events) {
  return {
      [](const std::string&, const messages::node_hello&) {},
      [](const std::string&, const messages::node_heartbeat&) {},
      [](const std::string&, const messages::devices_seen&) {},
      [events](const std::string&, const std::vector<messages::session_event>& batch) {
        *events += batch.size();
      },
      [](const std::string&, const messages::observed_duration&) {},
      [](atom::node_up, const std::string&) {},
      [](atom::node_stale, const std::string&) {},
  };
}

struct sample {
  std::size_t fds = 0;
  std::int64_t relay_rss = 0;
  std::int64_t own_rss = 0;
  double held = 0;
};

struct peaks {
  sample first;  ///< At the end of the warm-up.
  sample max;
  void add(const sample& s) {
    max.fds = std::max(max.fds, s.fds);
    max.relay_rss = std::max(max.relay_rss, s.relay_rss);
    max.own_rss = std::max(max.own_rss, s.own_rss);
    max.held = std::max(max.held, s.held);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(churn_through_a_relay_grows_no_descriptor_memory_or_backlog) {
  const int seconds = soak_seconds();
  zmq::context_t context;
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system system{cfg};
  auto taken = std::make_shared<std::atomic<std::uint64_t>>(0);
  auto listener = system.spawn(counting_listener, taken);
  auto hub_config = test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  hub_config.heartbeat_interval = 100ms;
  hub_config.heartbeat_timeout = 1s;
  auto hub = bus::spawn_hub_bridge(system, context, hub_config, listener);
  BOOST_TEST_REQUIRE(static_cast<bool>(hub));
  test::scratch_dir dir;
  test::test_upstream upstream;
  const auto config = dir.file("relay.toml");
  test::write_relay_config(config, "soak", hub->router_endpoint, hub->pub_endpoint, upstream.port(),
                           dir.file("spool"));
  test::running_relay relay{config};
  const pid_t pid = relay.process->pid();

  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> failed{0};
  // jthreads: a failed sample stops and joins the churn on its way out instead of terminating.
  std::vector<std::jthread> churn;
  churn.reserve(clients);
  for (int c = 0; c < clients; ++c)
    churn.emplace_back([&, c](const std::stop_token& stop) {
      for (int i = 0; !stop.stop_requested(); ++i) {
        const auto device = "soak-" + std::to_string((c * 7919 + i) % devices);
        try {
          test::relay_client client{relay.port, 10};
          client.get(upstream.port(), i % 4 == 0 ? "/bytes/262144" : "/small",
                     test::device_header(device) + "Connection: close\r\n");
          boost::system::error_code ec;
          auto r = client.read(ec);
          ++(ec || r.result_int() != 200 ? failed : completed);
        } catch (const std::exception&) {
          ++failed;
        }
      }
    });

  peaks p;
  const auto start = std::chrono::steady_clock::now();
  const auto warm = start + std::chrono::seconds{seconds / 5};
  bool warmed = false;
  int samples = 0;
  while (std::chrono::steady_clock::now() < start + std::chrono::seconds{seconds}) {
    test::eventually([] { return false; }, 2s, 100ms);  // the sampling period
    sample s;
    s.fds = test::open_fds(pid);
    s.relay_rss = test::rss_kib(pid);
    s.own_rss = test::rss_kib(getpid());
    s.held = test::metric_value(test::http_get(relay.admin, "/metrics"), "headroom_relay_bus_held");
    ++samples;
    if (!warmed && std::chrono::steady_clock::now() >= warm) {
      p.first = s;
      p.max = s;
      warmed = true;
    } else if (warmed) {
      p.add(s);
    }
  }
  churn.clear();
  const bool drained = test::eventually(
      [&] {
        return test::metric_value(test::http_get(relay.admin, "/metrics"),
                                  "headroom_relay_bus_held") == 0;
      },
      10s);
  BOOST_TEST(relay.process->stop() == 0);
  caf::anon_send_exit(hub->bridge, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(listener, caf::exit_reason::user_shutdown);

  BOOST_TEST_REQUIRE(warmed);
  const auto fd_growth = p.max.fds - p.first.fds;
  const auto relay_growth = p.max.relay_rss - p.first.relay_rss;
  const auto own_growth = p.max.own_rss - p.first.own_rss;
  BOOST_TEST(completed > 0u);
  BOOST_TEST(drained, "the relay's spool did not drain after the churn");
  BOOST_TEST(fd_growth <= fd_bound);
  BOOST_TEST(relay_growth <= rss_bound_kib);
  BOOST_TEST(own_growth <= rss_bound_kib);
  BOOST_TEST(p.max.held <= held_bound);
  // Each download is an opened and a closed event; a failed one may add some.
  const auto expected = 2 * completed.load();
  const auto lost = expected > taken->load() ? expected - taken->load() : 0;
  BOOST_TEST(lost == 0u);
  std::cout << "reliability: {\"fault\": \"soak: connection churn and bus traffic\", \"tries\": "
            << completed + failed << ", \"lost\": " << lost << ", \"duplicated\": 0, \"detail\": \""
            << seconds << " s, " << clients << " clients: " << completed << " downloads, " << failed
            << " failed, " << taken->load() << " session events taken; after warm-up: relay fds "
            << p.first.fds << " to max " << p.max.fds << " (bound +" << fd_bound << "), relay RSS "
            << p.first.relay_rss / 1024 << " to max " << p.max.relay_rss / 1024
            << " MiB, detector side RSS " << p.first.own_rss / 1024 << " to max "
            << p.max.own_rss / 1024 << " MiB (bound +" << rss_bound_kib / 1024
            << " MiB each), spool backlog max " << p.max.held << " events (bound " << held_bound
            << "), " << samples << " samples\"}" << std::endl;
}
