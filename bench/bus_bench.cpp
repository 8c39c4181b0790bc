// Bus throughput and latency against raw cppzmq with the same payload bytes,
// over tcp loopback and inproc (docs/benchmarks.md, "Bus").
//
//   bus_bench [--events N] [--round-trips M] [--threads T] [--window W] [--batch B]
//
// Throughput: N session events from a node bridge to the hub's listener actor
// (envelope + msgpack + bridge actors + socket threads), against a raw DEALER
// thread sending the same encoded frames to a raw ROUTER thread.
// Latency: M sequential request-replies; the request is a session event node ->
// hub listener, the reply an adjustment plan the hub broadcasts back to the
// node's listener (DEALER->ROUTER, then PUB->SUB), against raw sockets on the
// same path with the same bytes. Prints one JSON object per line.

#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "actors/type_registry.hpp"
#include "bus/hub_bridge.hpp"
#include "bus/node_bridge.hpp"
#include "common/system_wall_clock.hpp"
#include "tests/support/wire_samples.hpp"

namespace {

using namespace headroom;
using clock_type = std::chrono::steady_clock;

messages::session_event bench_event() { return test::sample_session_event(); }

messages::adjustment_plan bench_reply() {
  return {"plan-1", 1'764'000'000, {{"job-7", 1, 2, "bench"}}, {}};
}

constexpr std::size_t credit_step = 1024;

struct latency {
  double p50_us = 0;
  double p99_us = 0;
};

latency percentiles(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    return us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))];
  };
  return {at(0.50), at(0.99)};
}

void print_result(const char* peer, const char* transport, std::size_t events, std::size_t batch,
                  double seconds, const latency& l, std::uint64_t dropped) {
  std::printf(
      "{\"bench\":\"bus\",\"peer\":\"%s\",\"transport\":\"%s\",\"events\":%zu,\"batch\":%zu,"
      "\"events_per_s\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"dropped\":%llu}\n",
      peer, transport, events, batch, static_cast<double>(events) / seconds, l.p50_us, l.p99_us,
      static_cast<unsigned long long>(dropped));
  std::fflush(stdout);
}

// ---------------------------------------------------------------- the bus

struct bus_run {
  std::size_t expected = 0;
  std::promise<void> all_arrived;
  std::size_t arrived = 0;
  // Flow control for the sender: events in flight stay under `window`, as a relay
  // whose events the bus keeps up with (an unpaced flood measures mailbox growth).
  std::size_t window = 0;
  std::mutex mutex;
  std::condition_variable credit;
  std::size_t arrived_shared = 0;  ///< `arrived`, published every credit_step events.
  bool echo = false;               ///< Latency mode: answer each event with a broadcast plan.
  bus::hub_bridge_actor hub;
  std::promise<void> reply;  ///< Latency mode: fulfilled by the node's listener.
};

caf::behavior hub_side(caf::event_based_actor*, std::shared_ptr<bus_run> run) {
  return {
      [run](const std::string&, const std::vector<messages::session_event>& events) {
        if (run->echo) {
          caf::anon_send(run->hub, bench_reply());
          return;
        }
        const auto before = run->arrived;
        run->arrived += events.size();
        if (run->arrived / credit_step != before / credit_step || run->arrived == run->expected) {
          {
            std::lock_guard lock{run->mutex};
            run->arrived_shared = run->arrived;
          }
          run->credit.notify_one();
        }
        if (run->arrived == run->expected) run->all_arrived.set_value();
      },
      [](const std::string&, const messages::node_hello&) {},
      [](const std::string&, const messages::node_heartbeat&) {},
      [](const std::string&, const messages::devices_seen&) {},
      [](const std::string&, const messages::observed_duration&) {},
      [](atom::node_up, const std::string&) {},
      [](atom::node_stale, const std::string&) {},
  };
}

caf::behavior node_side(caf::event_based_actor*, std::shared_ptr<bus_run> run,
                        std::shared_ptr<std::promise<void>> ready) {
  auto statuses = std::make_shared<int>(0);
  auto registered = std::make_shared<bool>(false);
  return {
      [run](const messages::adjustment_plan&) { run->reply.set_value(); },
      [](const messages::overload_report&) {},
      [=](const messages::detector_status&) {
        // Registered and a status seen over PUB/SUB: no broadcast will be lost.
        if (*registered && ++*statuses == 1) ready->set_value();
      },
      [=](atom::hub_up, const std::string&) { *registered = true; },
      [](atom::hub_stale) {},
  };
}

void bench_bus(const char* transport, std::size_t events, std::size_t round_trips, int threads,
               std::size_t window, std::size_t batch) {
  caf::actor_system_config detector_config;
  actors::register_types(detector_config);
  detector_config.set("scheduler.max-threads", threads);
  detector_config.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system_config node_config;
  actors::register_types(node_config);
  node_config.set("scheduler.max-threads", threads);
  node_config.set("scheduler.policy", caf::atom("sharing"));
  zmq::context_t detector_host;
  zmq::context_t node_host_own;
  const bool inproc = std::strcmp(transport, "inproc") == 0;
  zmq::context_t& node_host = inproc ? detector_host : node_host_own;
  caf::actor_system detector_system{detector_config};
  caf::actor_system node_system{node_config};

  auto run = std::make_shared<bus_run>();
  run->expected = events;
  run->window = window;
  auto ready = std::make_shared<std::promise<void>>();
  auto hub_listener = detector_system.spawn(hub_side, run);
  auto node_listener = node_system.spawn(node_side, run, ready);

  bus::hub_config hub_config;
  hub_config.router_endpoint = inproc ? "inproc://bench-router" : "tcp://127.0.0.1:*";
  hub_config.pub_endpoint = inproc ? "inproc://bench-pub" : "tcp://127.0.0.1:*";
  hub_config.clock = common::system_wall_clock();
  // Throughput is measured without shedding: the queues and sockets may hold every event.
  hub_config.marks.queue_drop = hub_config.marks.queue_retain = events + 1;
  hub_config.marks.socket_send = hub_config.marks.socket_receive = static_cast<int>(events + 1);
  auto hub = bus::spawn_hub_bridge(detector_system, detector_host, hub_config,
                                   caf::actor_cast<bus::hub_listener_actor>(hub_listener));
  if (!hub) throw std::runtime_error(detector_system.render(hub.error()));
  run->hub = hub->bridge;
  bus::node_config config;
  config.hello = {"node-bench", {"proxy-osaka-1"}, 120, 100, "bench", messages::protocol_major};
  config.router_endpoint = hub->router_endpoint;
  config.pub_endpoint = hub->pub_endpoint;
  config.marks = hub_config.marks;
  config.heartbeat_interval = std::chrono::milliseconds{100};
  auto node = bus::spawn_node_bridge(node_system, node_host, config,
                                     caf::actor_cast<bus::node_listener_actor>(node_listener));
  if (!node) throw std::runtime_error(node_system.render(node.error()));
  ready->get_future().wait();

  const auto event = bench_event();
  auto arrived = run->all_arrived.get_future();
  const auto start = clock_type::now();
  std::size_t next_check = 0;
  for (std::size_t i = 0; i < events;) {
    if (i >= next_check) {
      std::unique_lock lock{run->mutex};
      run->credit.wait(lock, [&] { return i - run->arrived_shared < run->window; });
      next_check = i + credit_step;
    }
    const auto n = std::min(batch, events - i);
    if (batch == 1)
      caf::anon_send(*node, event);
    else
      caf::anon_send(*node, std::vector<messages::session_event>(n, event));
    i += n;
  }
  if (arrived.wait_for(std::chrono::seconds{60}) != std::future_status::ready)
    throw std::runtime_error(std::string{"bus over "} + transport + ": events lost");
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();

  run->echo = true;  // the hub listener has handled every event: no race on the flag
  std::vector<double> samples;
  samples.reserve(round_trips);
  for (std::size_t i = 0; i < round_trips; ++i) {
    run->reply = std::promise<void>{};
    auto reply = run->reply.get_future();
    const auto sent = clock_type::now();
    caf::anon_send(*node, event);
    reply.wait();
    samples.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - sent).count());
  }
  caf::scoped_actor detector_self{detector_system};
  bus::bridge_stats stats;
  detector_self->request(hub->bridge, std::chrono::seconds{10}, atom::get_v)
      .receive([&](const bus::bridge_stats& s) { stats = s; }, [](const caf::error&) {});
  print_result("bus", transport, events, batch, seconds, percentiles(samples), stats.dropped);

  for (const auto& a : {caf::actor_cast<caf::actor>(*node), node_listener})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  for (const auto& a : {caf::actor_cast<caf::actor>(hub->bridge), hub_listener})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

// ---------------------------------------------------------------- raw cppzmq

void bench_raw(const char* transport, std::size_t events, std::size_t round_trips) {
  const bool inproc = std::strcmp(transport, "inproc") == 0;
  zmq::context_t context;
  zmq::socket_t router{context, zmq::socket_type::router};
  zmq::socket_t pub{context, zmq::socket_type::pub};
  router.bind(inproc ? "inproc://raw-router" : "tcp://127.0.0.1:*");
  pub.bind(inproc ? "inproc://raw-pub" : "tcp://127.0.0.1:*");
  const auto router_endpoint = router.get(zmq::sockopt::last_endpoint);
  const auto pub_endpoint = pub.get(zmq::sockopt::last_endpoint);
  const auto request = messages::encode("node-bench", 1, bench_event());
  const auto response = messages::encode("detector", 1, bench_reply());

  zmq::socket_t dealer{context, zmq::socket_type::dealer};
  zmq::socket_t sub{context, zmq::socket_type::sub};
  sub.set(zmq::sockopt::subscribe, "");
  dealer.connect(router_endpoint);
  sub.connect(pub_endpoint);
  // PUB/SUB's slow joiner: publish until the SUB has one, before the hub thread owns PUB.
  zmq::message_t reply;
  for (;;) {
    pub.send(zmq::buffer(response), zmq::send_flags::none);
    std::vector<zmq::pollitem_t> items{{sub.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, std::chrono::milliseconds{10});
    if (items[0].revents & ZMQ_POLLIN) break;
  }
  while (sub.recv(reply, zmq::recv_flags::dontwait)) {
  }

  // The hub thread: count `events` frames, then answer each request on PUB.
  std::thread hub([&] {
    zmq::message_t id;
    zmq::message_t frame;
    for (std::size_t i = 0; i < events; ++i) {
      (void)router.recv(id);
      (void)router.recv(frame);
    }
    for (std::size_t i = 0; i < round_trips + 1; ++i) {
      (void)router.recv(id);
      (void)router.recv(frame);
      pub.send(zmq::buffer(response), zmq::send_flags::none);
    }
  });

  const auto start = clock_type::now();
  for (std::size_t i = 0; i < events; ++i) dealer.send(zmq::buffer(request), zmq::send_flags::none);
  // One request-reply ends the throughput run: the hub has received every event.
  dealer.send(zmq::buffer(request), zmq::send_flags::none);
  (void)sub.recv(reply);
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();

  std::vector<double> samples;
  samples.reserve(round_trips);
  for (std::size_t i = 0; i < round_trips; ++i) {
    const auto sent = clock_type::now();
    dealer.send(zmq::buffer(request), zmq::send_flags::none);
    (void)sub.recv(reply);
    samples.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - sent).count());
  }
  hub.join();
  print_result("raw_cppzmq", transport, events, 1, seconds, percentiles(samples), 0);
  for (auto* s : {&router, &pub, &dealer, &sub}) s->set(zmq::sockopt::linger, 0);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t events = 500'000;
  std::size_t round_trips = 5'000;
  int threads = 1;  // per actor system: two systems on this 2-core machine
  std::size_t window = 20'000;
  std::size_t batch = 1;  // events per actor message into the node bridge
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--events") == 0) events = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--round-trips") == 0) round_trips = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--window") == 0) window = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--batch") == 0)
      batch = std::max<std::size_t>(1, std::stoul(argv[i + 1]));
  }
  for (const char* transport : {"tcp", "inproc"}) {
    bench_raw(transport, events, round_trips);
    bench_bus(transport, events, round_trips, threads, window, batch);
  }
  return 0;
}
