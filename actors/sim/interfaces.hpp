#pragma once
// The simulator's actor interface: to the detector's load detectors and adjuster it is
// what surrounds them in service — the schedule fetcher that publishes their model, the
// notifier that takes their notifications and adjustments — and its driver asks it to
// advance the replay to the next moment the detector must look.

#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "actors/detector/interfaces.hpp"

CAF_ADD_ATOM(headroom_sim, headroom::atom, advance, "advance")

namespace headroom::sim {

using rollout_simulator_actor = detector::notifier_actor::extend<
    // The load detectors to publish the model to.
    caf::reacts_to<std::vector<detector::load_detector_actor>>,
    // Replay until the detector must look, or to the end.
    caf::reacts_to<atom::advance>>;

}  // namespace headroom::sim
