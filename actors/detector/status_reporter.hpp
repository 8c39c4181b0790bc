#pragma once
// The detector's status: asks the registry, the fetcher, every load detector, the notifier
// and the bus hub at once and answers one report, for /status and /metrics. A part that
// does not answer within the timeout is reported missing rather than holding the answer.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "actors/detector/interfaces.hpp"
#include "bus/interfaces.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

/// The parts the reporter asks.
struct status_sources {
  node_registry_actor registry;
  schedule_fetcher_actor fetcher;
  std::vector<load_detector_actor> detectors;
  notifier_actor notifier;
  bus::hub_bridge_actor hub;
};

struct status_reporter_config {
  std::string detector_id;
  std::string mode;
  domain::instant started_at = 0;
  caf::timespan timeout = std::chrono::seconds{2};
};

/// Checks the settings; the error names the setting.
domain::expected<status_reporter_config> validate(status_reporter_config config);

/// Validates the settings and spawns the reporter over every part it asks.
caf::expected<status_reporter_actor> spawn_status_reporter(caf::actor_system& system,
                                                           status_reporter_config config,
                                                           status_sources sources);

status_reporter_actor::behavior_type status_reporter(status_reporter_actor::pointer self,
                                                     status_reporter_config config,
                                                     status_sources sources);

}  // namespace headroom::detector
