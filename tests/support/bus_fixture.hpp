#pragma once

// Real sockets between real actor systems: the bus tests run the bridges on
// CAF's threaded scheduler (ZeroMQ worker threads cannot feed the single-threaded
// test coordinator) and synchronise on recorded events with a condition variable
// and a deadline, never on sleeps.

#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bus/hub_bridge.hpp"
#include "bus/node_bridge.hpp"
#include "messages/codec.hpp"

namespace headroom::test {

using namespace std::chrono_literals;

/// Generous: only reached when a test fails.
inline constexpr auto deadline = 10s;

/// One thing a bridge told the actor behind it.
struct bus_event {
  std::string
      kind;  ///< "node_hello", "node_up", "hub_stale", ... (the payload's type or the atom's text)
  std::string node;  ///< The node it concerns, where the hub names one.
  std::optional<messages::payload> body;
};

/// What a recorder actor has seen, shared with the test thread.
class event_log {
 public:
  void add(bus_event e) {
    {
      std::lock_guard lock{mutex_};
      events_.push_back(std::move(e));
    }
    changed_.notify_all();
  }

  /// Waits until `done` holds for the events so far; false at the deadline.
  bool wait_until(const std::function<bool(const std::vector<bus_event>&)>& done) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, deadline, [&] { return done(events_); });
  }

  [[nodiscard]] std::size_t count(const std::string& kind, const std::string& node = "") const {
    std::lock_guard lock{mutex_};
    return count_in(events_, kind, node);
  }

  static std::size_t count_in(const std::vector<bus_event>& events, const std::string& kind,
                              const std::string& node = "") {
    std::size_t n = 0;
    for (const auto& e : events) n += e.kind == kind && (node.empty() || e.node == node);
    return n;
  }

  /// Waits for at least `n` events of `kind` (about `node`, when given).
  bool wait_for(const std::string& kind, std::size_t n = 1, const std::string& node = "") {
    return wait_until([&](const auto& events) { return count_in(events, kind, node) >= n; });
  }

  [[nodiscard]] std::vector<bus_event> events() const {
    std::lock_guard lock{mutex_};
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<bus_event> events_;
};

/// An actor that takes both listener interfaces and records everything.
caf::behavior recorder(caf::event_based_actor* self, std::shared_ptr<event_log> log);

/// One side of the bus: its own actor system, as on another host.
class bus_side {
 public:
  bus_side();
  ~bus_side();

  caf::actor_system& system() { return *system_; }
  std::shared_ptr<event_log> log = std::make_shared<event_log>();

  bus::hub_listener_actor hub_listener() {
    return caf::actor_cast<bus::hub_listener_actor>(recorder_);
  }
  bus::node_listener_actor node_listener() {
    return caf::actor_cast<bus::node_listener_actor>(recorder_);
  }

  /// Spawns a hub whose listener is this side's recorder; fails the test on error.
  bus::hub_endpoint start_hub(zmq::context_t& context, bus::hub_config config);
  /// Spawns a node whose listener is this side's recorder; fails the test on error.
  bus::node_bridge_actor start_node(zmq::context_t& context, bus::node_config config);

  /// Stops an actor and waits until it is gone (its sockets closed).
  void stop(const caf::actor& actor);

  /// The bridge's counters.
  bus::bridge_stats stats(const bus::hub_bridge_actor& hub);
  bus::bridge_stats stats(const bus::node_bridge_actor& node);

 private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  caf::actor recorder_;
  std::vector<caf::actor> running_;
};

/// A fake detector: a raw ROUTER and PUB on loopback where a hub would be, so that a test
/// can send a node frames no hub sends.
struct fake_detector {
  zmq::socket_t router;
  zmq::socket_t pub;
  bus::hub_endpoint endpoint;

  explicit fake_detector(zmq::context_t& context)
      : router{context, zmq::socket_type::router}, pub{context, zmq::socket_type::pub} {
    for (auto* s : {&router, &pub}) s->set(zmq::sockopt::linger, 0);
    router.bind("tcp://127.0.0.1:*");
    pub.bind("tcp://127.0.0.1:*");
    endpoint = {{}, router.get(zmq::sockopt::last_endpoint), pub.get(zmq::sockopt::last_endpoint)};
  }

  /// A frame a node sent, with the routing id to answer it on.
  struct received {
    std::string from;
    messages::frame frame;
  };
  /// The next frame from any node, decoded; nothing at the deadline or when undecodable.
  std::optional<received> receive();
  /// BYTES, as they are, to the node with routing id TO.
  void send(const std::string& to, const std::string& bytes);
};

/// Fast heartbeats so that staleness shows within a fraction of a second.
bus::hub_config fast_hub(std::string router, std::string pub);
bus::node_config fast_node(const std::string& id, const bus::hub_endpoint& hub);

}  // namespace headroom::test
