#pragma once
// The adjuster (claims 5, 7): for the proxies whose windows one model changed, it plans new
// starts for the jobs in those windows with domain::adjust on the part of the fleet that
// loads them, together, so that no two plans count on the same room. In warn mode each
// proxy's part of the plan rides along with its notification as the suggestion the
// operator can apply in one action; in auto mode it is sent as the proxy's adjustment,
// followed by a notification of the windows the plan could not clear. A plan the distribution
// system refuses (409: a job changed meanwhile) makes the notifier ask for a fetch, and the new
// windows come back here for a new plan.

#include <array>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "actors/detector/interfaces.hpp"
#include "common/choices.hpp"
#include "domain/expected.hpp"
#include "domain/wall_clock.hpp"

namespace headroom::detector {

enum class detector_mode { warn, automatic };

/// The spellings of the modes: in the file, on the command line and in /status.
inline constexpr std::array<common::choice<detector_mode>, 2> detector_modes{
    {{"warn", detector_mode::warn}, {"auto", detector_mode::automatic}}};

const char* to_string(detector_mode mode);

struct adjuster_config {
  std::string detector_id = "detector";
  detector_mode mode = detector_mode::warn;
  /// Stamps `sent_at`; required.
  domain::wall_clock clock;
  /// Plans on a thread of its own instead of the scheduler's: a first detection plans for
  /// a second and more, and would hold a scheduler worker that long, with the notifier
  /// and the fetcher waiting behind it. Off in tests, which run on CAF's test coordinator.
  bool own_thread = false;
};

/// Checks the settings; the error names the setting.
domain::expected<adjuster_config> validate(adjuster_config config);

/// What the adjuster sends for one proxy of a batch.
struct adjuster_output {
  std::optional<distribution_api::adjustment_record> adjustment;  ///< Auto mode, when jobs move.
  distribution_api::notification_record notification;
};

/// Receives the output for the batch's proxy at `index` once it is final.
using output_ready = std::function<void(std::size_t index, adjuster_output&& output)>;

/// The plan for a batch's windows, one output per proxy, each handed to `ready` as soon as
/// it is final: the proxies without windows first, then each group's as it is planned, so
/// that the notifier delivers while the rest is planned (a first detection plans hundreds
/// of groups). Proxies whose cuts share a proxy are planned in one domain::adjust; a lone
/// proxy, the common increment, on its own cut.
void plan_each(const adjuster_config& config, const windows_batch& batch,
               const output_ready& ready);

/// plan_each's outputs in the batch's order (pure: the actor only sends them).
std::vector<adjuster_output> plan_for(const adjuster_config& config, const windows_batch& batch);

struct adjuster_state {
  adjuster_state() = default;
  static constexpr const char* name = "adjuster";

  adjuster_config config;
  notifier_actor notifier;
  /// The last notification per proxy, to send none that says nothing new.
  std::map<std::string, distribution_api::notification_record> sent;
  std::uint64_t plans = 0;
};

/// Validates the settings and spawns the adjuster, which sends to `notifier`.
caf::expected<adjuster_actor> spawn_adjuster(caf::actor_system& system, adjuster_config config,
                                             notifier_actor notifier);

adjuster_actor::behavior_type adjuster(adjuster_actor::stateful_pointer<adjuster_state> self,
                                       adjuster_config config, notifier_actor notifier);

}  // namespace headroom::detector
