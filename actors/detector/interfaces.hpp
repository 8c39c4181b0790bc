#pragma once
// The message interfaces of the detector's actors, in one place: distribution client,
// schedule fetcher, node registry, load detectors, adjuster, notifier. The values they
// exchange are in distribution_api/records.hpp and detector/detector_values.hpp.

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>
#include <string>
#include <vector>

#include "actors/detector/api_inspect.hpp"
#include "bus/interfaces.hpp"
#include "detector/detector_values.hpp"

// The detector's atoms (the shared ones are in bus/interfaces.hpp).
CAF_ADD_ATOM(headroom_detector, headroom::atom, fetch_inventory, "fetch_inv")
CAF_ADD_ATOM(headroom_detector, headroom::atom, fetch_devices, "fetch_dev")
CAF_ADD_ATOM(headroom_detector, headroom::atom, fetch_services, "fetch_svc")
CAF_ADD_ATOM(headroom_detector, headroom::atom, fetch_jobs, "fetch_jobs")
CAF_ADD_ATOM(headroom_detector, headroom::atom, put_topology, "put_topo")
CAF_ADD_ATOM(headroom_detector, headroom::atom, deliver, "deliver")
CAF_ADD_ATOM(headroom_detector, headroom::atom, fetch_now, "fetch_now")
CAF_ADD_ATOM(headroom_detector, headroom::atom, retry, "retry")
CAF_ADD_ATOM(headroom_detector, headroom::atom, publish, "publish")
CAF_ADD_ATOM(headroom_detector, headroom::atom, fetch_tick, "fetch_tick")
CAF_ADD_ATOM(headroom_detector, headroom::atom, settle, "settle")

namespace headroom::detector {

/// Talks HTTP/JSON to the distribution system (docs/api.md). Every request has a
/// timeout; a failure answers with a caf::error whose context says what failed.
using distribution_client_actor = caf::typed_actor<
    // Contracts, devices, packages and service schedules.
    caf::replies_to<atom::fetch_inventory>::with<distribution_api::inventory>,
    // The same in two parts, for a first fetch that builds the model as they arrive: the
    // contracts, devices and packages (no services), then the service schedules alone.
    caf::replies_to<atom::fetch_devices>::with<distribution_api::inventory>,
    caf::replies_to<atom::fetch_services>::with<distribution_api::inventory>,
    // All pages of the jobs written after the given number of the server's change clock
    // (0: every job, in the clock's order), or, when that is negative, of those changed
    // at or after the given time (0: every job).
    caf::replies_to<atom::fetch_jobs, domain::instant,
                    std::int64_t>::with<std::vector<distribution_api::job_record>>,
    // Reports the learned topology; answers the unknown device ids.
    caf::replies_to<atom::put_topology,
                    distribution_api::topology_record>::with<std::vector<std::string>>,
    // Delivers one outbox entry with its idempotency key; answers the adjustment's
    // outcome (empty for a notification).
    caf::replies_to<atom::deliver, outbox_entry>::with<distribution_api::adjustment_outcome>>;

/// Delivers notifications and adjustments through its on-disk outbox, in order per proxy.
using notifier_actor = caf::typed_actor<
    // Claims 1, 4, 5: one proxy's current windows (with the suggested plan).
    caf::reacts_to<distribution_api::notification_record>,
    // Claim 7: a plan to apply (automatic mode).
    caf::reacts_to<distribution_api::adjustment_record>,
    caf::replies_to<atom::status>::with<outbox_status>>;

/// What the nodes announced: proxies, their devices, live or stale.
using node_registry_actor =
    bus::hub_listener_actor::extend<caf::replies_to<atom::status>::with<registry_status>>;

/// One shard of proxies: keeps their load timelines incrementally, reports window changes.
using load_detector_actor = caf::typed_actor<
    // A new model: jobs changed, or everything when the topology or inventory changed.
    caf::reacts_to<model_ptr>, caf::replies_to<atom::status>::with<detector_windows>>;

/// Fetches contracts, devices, services and jobs; publishes the detector's model.
using schedule_fetcher_actor = caf::typed_actor<
    // The registry's view changed (nodes, devices behind proxies).
    caf::reacts_to<topology_view>,
    // The load detectors to publish models to from now on (they get the current one at once).
    caf::reacts_to<std::vector<load_detector_actor>>,
    // Fetch now (devices appeared, a plan was refused, an operator asked).
    caf::reacts_to<atom::fetch_now>,
    // A relay measured a transfer: refines durations.
    caf::reacts_to<std::string, messages::observed_duration>,
    caf::replies_to<atom::status>::with<fetch_status>>;

/// Gathers every part's state for /status and /metrics.
using status_reporter_actor =
    caf::typed_actor<caf::replies_to<atom::status>::with<detector_report>>;

/// Plans moves for the windows of the proxies one model changed, together (suggestions in
/// warn mode, applied in auto mode); one notification per proxy.
using adjuster_actor = caf::typed_actor<caf::reacts_to<windows_batch>>;

}  // namespace headroom::detector

// The detector's block of type IDs (messages/type_id_ranges.hpp places every block).
CAF_BEGIN_TYPE_ID_BLOCK(headroom_detector, headroom::type_ids::detector)
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::customer_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::device_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::package_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::service_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::job_record))
CAF_ADD_TYPE_ID(headroom_detector, (std::vector<headroom::distribution_api::job_record>))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::inventory))
CAF_ADD_TYPE_ID(headroom_detector, (std::vector<std::string>))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::topology_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::notification_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::adjustment_record))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::distribution_api::adjustment_outcome))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::topology_view))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::model_ptr))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::windows_batch))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::fetch_status))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::registry_status))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::detector_windows))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::outbox_status))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::outbox_entry))
CAF_ADD_TYPE_ID(headroom_detector, (headroom::detector::detector_report))
CAF_ADD_TYPE_ID(headroom_detector, (std::vector<headroom::detector::load_detector_actor>))
CAF_END_TYPE_ID_BLOCK(headroom_detector)

// Shared immutable models and handles travel only inside one process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::detector::model_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::detector::windows_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::detector::detector_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<headroom::detector::load_detector_actor>)
