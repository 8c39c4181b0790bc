#pragma once
// The message interfaces of the detector's actors, in one place: distribution client,
// schedule fetcher, node registry, load detectors, adjuster, notifier. The values they
// exchange are in distribution_api/records.hpp and detector/detector_values.hpp.

#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>
#include <string>
#include <vector>

#include "detector/detector_values.hpp"
#include "bus/interfaces.hpp"
#include "actors/detector/api_inspect.hpp"

// IDs 800.. of the custom range are the detector's (the relay's are 700..739).
CAF_BEGIN_TYPE_ID_BLOCK(headroom_detector, caf::first_custom_type_id + 600)
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::customer_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::device_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::package_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::service_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::job_record))
CAF_ADD_TYPE_ID(headroom_detector, (std::vector<headroom::messages::job_record>))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::inventory))
CAF_ADD_TYPE_ID(headroom_detector, (std::vector<std::string>))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::topology_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::notification_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::adjustment_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::messages::adjustment_outcome))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::topology_view))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::model_ptr))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::proxy_windows))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::fetch_status))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::registry_status))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::detector_windows))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::outbox_status))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::outbox_entry))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::actors::detector_report))
CAF_ADD_ATOM(headroom_detector, headroom::actors, fetch_inventory_atom, "fetch_inv")
CAF_ADD_ATOM(headroom_detector, headroom::actors, fetch_jobs_atom, "fetch_jobs")
CAF_ADD_ATOM(headroom_detector, headroom::actors, put_topology_atom, "put_topo")
CAF_ADD_ATOM(headroom_detector, headroom::actors, deliver_atom, "deliver")
CAF_ADD_ATOM(headroom_detector, headroom::actors, fetch_now_atom, "fetch_now")
CAF_ADD_ATOM(headroom_detector, headroom::actors, status_atom, "det_status")
CAF_ADD_ATOM(headroom_detector, headroom::actors, retry_atom, "retry")
CAF_ADD_ATOM(headroom_detector, headroom::actors, publish_atom, "publish")
CAF_ADD_ATOM(headroom_detector, headroom::actors, fetch_tick_atom, "fetch_tick")
CAF_END_TYPE_ID_BLOCK(headroom_detector)

namespace headroom::actors {

/// Talks HTTP/JSON to the distribution system (docs/api.md). Every request has a
/// timeout; a failure answers with a caf::error whose context says what failed.
using distribution_client_actor = caf::typed_actor<
    // Contracts, devices, packages and service schedules.
    caf::replies_to<fetch_inventory_atom>::with<messages::inventory>,
    // Every job changed at or after the given time (0: every job), all pages.
    caf::replies_to<fetch_jobs_atom,
                    messages::utc_seconds>::with<std::vector<messages::job_record>>,
    // Reports the learned topology; answers the unknown device ids.
    caf::replies_to<put_topology_atom, messages::topology_record>::with<std::vector<std::string>>,
    // Delivers one outbox entry with its idempotency key; answers the adjustment's
    // outcome (empty for a notification).
    caf::replies_to<deliver_atom, outbox_entry>::with<messages::adjustment_outcome>>;

/// Delivers notifications and adjustments through its on-disk outbox, in order per proxy.
using notifier_actor = caf::typed_actor<
    // Claims 1, 4, 5: one proxy's current windows (with the suggested plan).
    caf::reacts_to<messages::notification_record>,
    // Claim 7: a plan to apply (automatic mode).
    caf::reacts_to<messages::adjustment_record>, caf::replies_to<status_atom>::with<outbox_status>>;

/// What the nodes announced: proxies, their devices, live or stale.
using node_registry_actor =
    bus::hub_listener_actor::extend<caf::replies_to<status_atom>::with<registry_status>>;

/// One shard of proxies: keeps their load timelines incrementally, reports window changes.
using load_detector_actor = caf::typed_actor<
    // A new model: jobs changed, or everything when the topology or inventory changed.
    caf::reacts_to<model_ptr>, caf::replies_to<status_atom>::with<detector_windows>>;

/// Fetches contracts, devices, services and jobs; publishes the detector's model.
using schedule_fetcher_actor = caf::typed_actor<
    // The registry's view changed (nodes, devices behind proxies).
    caf::reacts_to<topology_view>,
    // The load detectors to publish models to from now on (they get the current one at once).
    caf::reacts_to<std::vector<load_detector_actor>>,
    // Fetch now (devices appeared, a plan was refused, an operator asked).
    caf::reacts_to<fetch_now_atom>,
    // A relay measured a transfer: refines durations.
    caf::reacts_to<std::string, messages::observed_duration>,
    caf::replies_to<status_atom>::with<fetch_status>>;

/// Gathers every part's state for /status and /metrics.
using status_reporter_actor = caf::typed_actor<caf::replies_to<status_atom>::with<detector_report>>;

/// Plans moves for a proxy's windows (suggestion in warn mode, applied in auto mode).
using adjuster_actor = caf::typed_actor<caf::reacts_to<proxy_windows>>;

}  // namespace headroom::actors

// Handles of the actors above, which need the atoms of the first block.
CAF_BEGIN_TYPE_ID_BLOCK(headroom_detector_handles, caf::id_block::headroom_detector::end)
CAF_ADD_TYPE_ID(headroom_detector_handles, (std::vector<headroom::actors::load_detector_actor>))
CAF_END_TYPE_ID_BLOCK(headroom_detector_handles)

namespace headroom::actors {

/// Registers every type the detector's actors exchange.
template <class Config>
void add_detector_types(Config& cfg) {
  bus::add_bus_types(cfg);
  cfg.template add_message_types<caf::id_block::headroom_detector>();
  cfg.template add_message_types<caf::id_block::headroom_detector_handles>();
}

}  // namespace headroom::actors

// Shared immutable models travel only inside one process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::actors::model_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::actors::proxy_windows)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::actors::detector_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<headroom::actors::load_detector_actor>)
