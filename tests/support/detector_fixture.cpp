#include "tests/support/detector_fixture.hpp"

#include <caf/sec.hpp>

namespace headroom::test {
namespace {

caf::error refused() {
  return caf::make_error(caf::sec::request_receiver_down, "scripted failure");
}

}  // namespace

actors::distribution_client_actor::behavior_type scripted_client(
    actors::distribution_client_actor::pointer self,
    std::shared_ptr<scripted_distribution> script) {
  return {
      [=](actors::fetch_inventory_atom) -> caf::result<messages::inventory> {
        ++script->inventory_requests;
        if (script->silent) {
          auto promise = self->make_response_promise<messages::inventory>();
          script->held.push_back(promise);
          return promise;
        }
        if (script->fail_next > 0) {
          --script->fail_next;
          return refused();
        }
        return script->inventory;
      },
      [=](actors::fetch_jobs_atom,
          messages::utc_seconds since) -> caf::result<std::vector<messages::job_record>> {
        script->job_requests.push_back(since);
        if (script->fail_next > 0) {
          --script->fail_next;
          return refused();
        }
        std::vector<messages::job_record> out;
        for (const auto& j : script->jobs)
          if (j.updated_at >= since) out.push_back(j);
        return out;
      },
      [=](actors::put_topology_atom,
          const messages::topology_record& t) -> std::vector<std::string> {
        script->topologies.push_back(t);
        return {};
      },
      [=](actors::deliver_atom, const actors::outbox_entry& e) -> messages::adjustment_outcome {
        script->delivered.push_back(e);
        return {};
      },
  };
}

actors::load_detector_actor::behavior_type recording_detector(actors::load_detector_actor::pointer,
                                                              std::shared_ptr<model_log> log) {
  return {
      [log](const actors::model_ptr& m) { log->models.push_back(m); },
      [](actors::status_atom) { return actors::detector_windows{}; },
  };
}

}  // namespace headroom::test
