#pragma once
// A deterministic actor system for the detector's actors (CAF's test coordinator and its
// simulated clock), and scripted stand-ins for the actors around the one under test.

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "actors/detector/interfaces.hpp"
#include "actors/type_registry.hpp"
#include "tests/support/actor_fixture.hpp"

namespace headroom::test {

struct detector_test_config : test_config {
  detector_test_config() { actors::register_types(*this); }
};

/// The test coordinator with the detector's types, and the actors the test spawned.
struct detector_fixture : basic_actor_fixture<detector_test_config> {
  /// Actors the test spawned; stopped at the end, since the system waits for every actor.
  std::vector<caf::actor> spawned;

  template <class Handle>
  Handle keep(Handle handle) {
    spawned.push_back(caf::actor_cast<caf::actor>(handle));
    return handle;
  }

  ~detector_fixture() {
    for (auto& a : spawned) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    run();
  }

  /// Asks `handle` and runs until it answered (nullopt: it did not).
  template <class Result, class Handle, class... Ts>
  std::optional<Result> ask(const Handle& handle, Ts... xs) {
    std::optional<Result> result;
    system.spawn([&](caf::event_based_actor* self) {
      self->request(handle, caf::infinite, xs...).then([&](const Result& r) { result = r; });
    });
    run();
    return result;
  }
};

/// What the scripted distribution system holds and how it misbehaves.
struct scripted_distribution {
  distribution_api::inventory inventory;
  std::vector<distribution_api::job_record> jobs;
  int fail_next = 0;                          ///< Requests that fail before the next one succeeds.
  bool silent = false;                        ///< Never answer (the requester's timeout fires).
  std::vector<domain::instant> job_requests;  ///< `updated_since` of each jobs request.
  std::vector<std::int64_t> changed_after_requests;  ///< `changed_after` of each.
  int inventory_requests = 0;
  std::vector<distribution_api::topology_record> topologies;
  std::vector<detector::outbox_entry> delivered;
  std::vector<caf::typed_response_promise<distribution_api::inventory>> held;
};

/// The parts of an inventory the distribution client answers to `fetch_devices` (no
/// services) and to `fetch_services` (the services alone).
distribution_api::inventory devices_part(distribution_api::inventory inv);
distribution_api::inventory services_part(const distribution_api::inventory& inv);

detector::distribution_client_actor::behavior_type scripted_client(
    detector::distribution_client_actor::pointer self,
    std::shared_ptr<scripted_distribution> script);

/// Every model a load detector would have received.
struct model_log {
  std::vector<detector::model_ptr> models;
};

detector::load_detector_actor::behavior_type recording_detector(
    detector::load_detector_actor::pointer, std::shared_ptr<model_log> log);

}  // namespace headroom::test
