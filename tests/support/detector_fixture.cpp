#include "tests/support/detector_fixture.hpp"

#include <caf/sec.hpp>

namespace headroom::test {
namespace {

caf::error refused() {
  return caf::make_error(caf::sec::request_receiver_down, "scripted failure");
}

/// Answers `part` of the inventory, unless the script is silent or fails this request.
/// `counted`: one more inventory read (its services alone are the rest of one).
caf::result<distribution_api::inventory> inventory_part(
    detector::distribution_client_actor::pointer self,
    const std::shared_ptr<scripted_distribution>& script, distribution_api::inventory part,
    bool counted = true) {
  script->inventory_requests += counted ? 1 : 0;
  if (script->silent) {
    auto promise = self->make_response_promise<distribution_api::inventory>();
    script->held.push_back(promise);
    return promise;
  }
  if (script->fail_next > 0) {
    --script->fail_next;
    return refused();
  }
  return part;
}

}  // namespace

distribution_api::inventory devices_part(distribution_api::inventory inv) {
  inv.services.clear();
  return inv;
}

distribution_api::inventory services_part(const distribution_api::inventory& inv) {
  distribution_api::inventory out;
  out.services = inv.services;
  return out;
}

detector::distribution_client_actor::behavior_type scripted_client(
    detector::distribution_client_actor::pointer self,
    std::shared_ptr<scripted_distribution> script) {
  return {
      [=](atom::fetch_inventory) { return inventory_part(self, script, script->inventory); },
      [=](atom::fetch_devices) {
        return inventory_part(self, script, devices_part(script->inventory));
      },
      [=](atom::fetch_services) {
        return inventory_part(self, script, services_part(script->inventory), false);
      },
      // A server without a change clock (jobs at change_seq 0) that ignores changed_after.
      [=](atom::fetch_jobs, domain::instant since,
          std::int64_t changed_after) -> caf::result<std::vector<distribution_api::job_record>> {
        script->job_requests.push_back(since);
        script->changed_after_requests.push_back(changed_after);
        if (script->fail_next > 0) {
          --script->fail_next;
          return refused();
        }
        std::vector<distribution_api::job_record> out;
        for (const auto& j : script->jobs)
          if (j.change_seq ? j.change_seq > changed_after : j.updated_at >= since) out.push_back(j);
        return out;
      },
      [=](atom::put_topology,
          const distribution_api::topology_record& t) -> std::vector<std::string> {
        script->topologies.push_back(t);
        return {};
      },
      [=](atom::deliver, const detector::outbox_entry& e) -> distribution_api::adjustment_outcome {
        script->delivered.push_back(e);
        return {};
      },
  };
}

detector::load_detector_actor::behavior_type recording_detector(
    detector::load_detector_actor::pointer, std::shared_ptr<model_log> log) {
  return {
      [log](const detector::model_ptr& m) { log->models.push_back(m); },
      [](atom::status) { return detector::detector_windows{}; },
  };
}

}  // namespace headroom::test
