#pragma once
// A deterministic actor system for Boost.Test: the CAF test coordinator runs every
// actor on this thread when asked, and its clock moves only when the test says so.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/sec.hpp>
#include <chrono>
#include <ostream>

#include "actors/relay/interfaces.hpp"
#include "actors/type_registry.hpp"
#include "bus/interfaces.hpp"

namespace caf {
inline std::ostream& boost_test_print_type(std::ostream& os, const error& e) {
  return os << to_string(e);
}
inline std::ostream& boost_test_print_type(std::ostream& os, sec e) { return os << to_string(e); }
}  // namespace caf

namespace headroom::test {

struct test_config : caf::actor_system_config {
  test_config() {
    set("scheduler.policy", caf::atom("testing"));
    set("logger.verbosity", caf::atom("quiet"));
    actors::register_types(*this);
  }
};

/// CONFIG registers the message types of the actors under test.
template <class Config>
struct basic_actor_fixture {
  Config config;
  caf::actor_system system{config};
  caf::scheduler::test_coordinator& sched =
      dynamic_cast<caf::scheduler::test_coordinator&>(system.scheduler());

  /// Runs every actor until no message is left.
  void run() { sched.run(); }

  /// Moves the clock, fires the timeouts that fell due, and runs.
  void advance_time(caf::timespan d) {
    sched.clock().advance_time(d);
    sched.run();
  }
};

using actor_fixture = basic_actor_fixture<test_config>;

}  // namespace headroom::test
