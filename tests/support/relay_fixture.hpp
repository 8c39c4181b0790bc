#pragma once
// A whole relay node on 127.0.0.1 (real sockets, the real CAF scheduler) in front of a
// test upstream, for the end-to-end tests. Everything binds port 0 and stops with the
// fixture.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "actors/relay/relay_node.hpp"
#include "actors/type_registry.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_upstream.hpp"

namespace headroom::test {

struct relay_system_config : caf::actor_system_config {
  relay_system_config() {
    actors::register_types(*this);
    set("scheduler.max-threads", 2);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

struct relay_fixture {
  test_upstream upstream;
  relay_system_config system_config;
  caf::actor_system system{system_config};
  std::unique_ptr<relay::relay_node> node;

  /// Settings every test starts from: loopback only, the upstream allowed, short timeouts.
  relay::relay_config base_config() const {
    relay::relay_config c;
    c.listen = "127.0.0.1:0";
    c.admin = "127.0.0.1:0";
    c.proxy_id = "test-proxy";
    c.allow = {"127.0.0.1:" + std::to_string(upstream.port())};
    c.header_timeout = std::chrono::milliseconds(2000);
    c.header_idle_timeout = std::chrono::milliseconds(1000);
    c.connect_timeout = std::chrono::milliseconds(2000);
    c.response_timeout = std::chrono::milliseconds(2000);
    return c;
  }

  void start(relay::relay_config c) {
    auto started =
        relay::relay_node::start(system, std::move(c), domain::wall_clock::fixed(1'700'000'000));
    if (!started) throw std::runtime_error(system.render(started.error()));
    node = std::move(*started);
  }

  std::uint16_t port() const { return node->port(); }

  relay::relay_status status() {
    caf::scoped_actor self{system};
    relay::relay_status out;
    self->request(node->agent(), std::chrono::seconds(5), atom::status_v)
        .receive([&](const relay::relay_status& s) { out = s; },
                 [&](const caf::error& e) { throw std::runtime_error(system.render(e)); });
    return out;
  }

  /// Waits (bounded) until the agent's status satisfies `done`: sessions end on other
  /// threads, after the device already has its answer.
  template <class Predicate>
  relay::relay_status wait_for(Predicate done) {
    relay::relay_status s;
    eventually([&] { return done(s = status()); }, std::chrono::seconds{5});
    return s;
  }

  /// The refusals counted for REASON once at least `expected` arrived (or the wait ended).
  std::uint64_t refused(relay::refusal_reason reason, std::uint64_t expected) {
    auto i = static_cast<std::size_t>(reason);
    return wait_for([&](const auto& s) { return s.refused_total[i] >= expected; }).refused_total[i];
  }

  ~relay_fixture() {
    if (node) node->stop();
  }
};

}  // namespace headroom::test
