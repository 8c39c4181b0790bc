// The detector's bus under pressure, for HEADROOM_PRESSURE_SECONDS (default 3): a peer
// flooding session events at full speed, a slow consumer that sends stamped events and
// never reads its acks (the hub's ROUTER reaches its high-water mark towards it), while
// three good nodes keep sending. Passes when every good node's event is taken exactly once
// and acked (their spools empty), drops are counted per type, and the process's memory
// stays under the stated bound (the hub reads no faster than it handles: docs/bus.md).
#define BOOST_TEST_MODULE bus pressure fault
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <iostream>
#include <map>
#include <thread>

#include "messages/codec.hpp"
#include "tests/support/bus_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/proc_stats.hpp"
#include "tests/support/wire_samples.hpp"

using namespace headroom;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t rss_bound_kib = 256 * 1024;  ///< Growth of the whole test process.
constexpr int good_nodes = 3;
constexpr int good_events = 300;  ///< Per good node.

int seconds() {
  const char* text = std::getenv("HEADROOM_PRESSURE_SECONDS");
  return text ? std::max(1, std::atoi(text)) : 3;
}

/// What the hub's listener took: counts only, and the good nodes' events (bounded).
struct taken {
  std::mutex mutex;
  std::map<std::string, int> good;  ///< device id -> times taken
  std::atomic<std::uint64_t> flood{0};
};

bus::hub_listener_actor::behavior_type counting_listener(bus::hub_listener_actor::pointer,
                                                         std::shared_ptr<taken> t) {
  // Everything but the session events is taken and forgotten.
  return {
      [](const std::string&, const messages::node_hello&) {},
      [](const std::string&, const messages::node_heartbeat&) {},
      [](const std::string&, const messages::devices_seen&) {},
      [t](const std::string& node, const std::vector<messages::session_event>& events) {
        if (node.rfind("good-", 0) != 0) {
          t->flood += events.size();
          return;
        }
        std::lock_guard lock{t->mutex};
        for (const auto& e : events) ++t->good[e.device_id];
      },
      [](const std::string&, const messages::observed_duration&) {},
      [](atom::node_up, const std::string&) {},
      [](atom::node_stale, const std::string&) {},
  };
}

/// A raw peer on its own thread: says hello, then sends `frame` as fast as ZeroMQ takes it
/// until told to stop; reads what comes back only when `reads`.
struct raw_peer {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> sent{0};
  std::thread thread;

  raw_peer(zmq::context_t& context, const std::string& id, const std::string& endpoint, bool reads,
           bool stamped) {
    thread = std::thread([this, &context, id, endpoint, reads, stamped] {
      zmq::socket_t dealer{context, zmq::socket_type::dealer};
      dealer.set(zmq::sockopt::linger, 0);
      dealer.set(zmq::sockopt::routing_id, id);
      dealer.set(zmq::sockopt::rcvhwm, 100);  // a slow consumer's small window
      dealer.connect(endpoint);
      const auto hello =
          messages::encode(id, 1, messages::node_hello{id, {"p-" + id}, 1, 1, "v", 1});
      dealer.send(zmq::buffer(hello), zmq::send_flags::none);
      std::uint64_t seq = 1;
      auto event = test::sample_session_event();
      while (!stop) {
        if (stamped) {
          event.instance = id;
          event.event_seq = seq;
          event.unacked_from = 1;
        }
        const auto bytes = messages::encode(id, ++seq, event);
        if (dealer.send(zmq::buffer(bytes), zmq::send_flags::dontwait)) ++sent;
        if (reads) {
          zmq::message_t m;
          while (dealer.recv(m, zmq::recv_flags::dontwait)) {
          }
        }
      }
    });
  }
  ~raw_peer() {
    stop = true;
    thread.join();
  }
};

std::string per_type(const bus::type_counters& c) {
  std::string out;
  for (std::size_t code = 1; code < c.size(); ++code)
    if (c[code] > 0)
      out += (out.empty() ? "" : ", ") +
             std::string{messages::to_string(static_cast<messages::message_type>(code))} + " " +
             std::to_string(c[code]);
  return out.empty() ? "none" : out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(good_nodes_are_served_while_a_peer_floods_and_another_never_reads) {
  zmq::context_t context;
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system system{cfg};
  auto t = std::make_shared<taken>();
  auto listener = system.spawn(counting_listener, t);
  auto hub_config = test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  hub_config.heartbeat_interval = 100ms;
  hub_config.heartbeat_timeout = 2s;
  hub_config.marks = {1000, 1000, 1000, 10'000};
  auto hub = bus::spawn_hub_bridge(system, context, hub_config, listener);
  BOOST_TEST_REQUIRE(static_cast<bool>(hub));
  test::bus_side nodes;  // the good nodes, as on other hosts
  std::vector<bus::node_bridge_actor> good;
  for (int i = 0; i < good_nodes; ++i) {
    auto c = test::fast_node("good-" + std::to_string(i), *hub);
    c.heartbeat_interval = 100ms;
    c.heartbeat_timeout = 2s;
    good.push_back(nodes.start_node(context, c));
  }
  BOOST_TEST_REQUIRE(nodes.log->wait_for("hub_up", good_nodes));

  const auto rss_before = test::rss_kib(getpid());
  std::int64_t rss_peak = rss_before;
  std::uint64_t flood_sent = 0;
  std::uint64_t slow_sent = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{seconds()};
  {
    raw_peer flood{context, "flood", hub->router_endpoint, true, false};
    raw_peer slow{context, "slow", hub->router_endpoint, false, true};
    int sent = 0;
    while (std::chrono::steady_clock::now() < until || sent < good_events) {
      if (sent < good_events) {
        for (int i = 0; i < good_nodes; ++i) {
          auto e = test::sample_session_event();
          e.device_id = "good-" + std::to_string(i) + "-" + std::to_string(sent);
          caf::anon_send(good[i], e);
        }
        ++sent;
      }
      std::this_thread::sleep_for(5ms);
      rss_peak = std::max(rss_peak, test::rss_kib(getpid()));
    }
    flood_sent = flood.sent;
    slow_sent = slow.sent;
  }
  // Every good event taken once and acked.
  const bool served = test::eventually(
      [&] {
        for (const auto& n : good)
          if (nodes.stats(n).spooled != 0) return false;
        return true;
      },
      30s);
  BOOST_TEST(served);
  int lost = 0;
  int duplicated = 0;
  {
    std::lock_guard lock{t->mutex};
    for (int i = 0; i < good_nodes; ++i)
      for (int k = 0; k < good_events; ++k) {
        const auto device = "good-" + std::to_string(i) + "-" + std::to_string(k);
        const int n = t->good.count(device) ? t->good.at(device) : 0;
        lost += n == 0;
        duplicated += std::max(0, n - 1);
      }
  }
  bus::bridge_stats stats;
  {
    caf::scoped_actor self{system};
    self->request(hub->bridge, 10s, atom::get_v)
        .receive([&](const bus::bridge_stats& s) { stats = s; },
                 [](const caf::error&) { BOOST_FAIL("the hub did not answer"); });
  }
  const auto growth = rss_peak - rss_before;
  BOOST_TEST(lost == 0);
  BOOST_TEST(duplicated == 0);
  BOOST_TEST(growth < rss_bound_kib);
  BOOST_TEST(stats.peers_live >= good_nodes);
  std::cout << "reliability: {\"fault\": \"bus flood and slow consumer\", \"tries\": 1, \"lost\": "
            << lost << ", \"duplicated\": " << duplicated << ", \"detail\": \"" << seconds()
            << " s: flooder sent " << flood_sent << " frames (" << t->flood.load()
            << " taken), slow consumer " << slow_sent << "; " << good_nodes * good_events
            << " good events taken once and acked; hub drops by type: "
            << per_type(stats.dropped_by_type) << "; RSS growth " << growth / 1024 << " MiB (bound "
            << rss_bound_kib / 1024 << " MiB)\"}" << std::endl;
  caf::anon_send_exit(hub->bridge, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(listener, caf::exit_reason::user_shutdown);
}
