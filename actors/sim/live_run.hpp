#pragma once
// `headroom sim --live` without its flags: one strategy played by real device clients
// through real relays from the reference distribution system, on the wall clock
// (docs/simulation.md, "Live"), beside the virtual-time replay of the very same scaled
// fleet, which predicts what the live run should measure.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "common/progress.hpp"
#include "domain/expected.hpp"
#include "domain/fleet.hpp"
#include "domain/wall_clock.hpp"
#include "sim/live/live_rollout.hpp"
#include "sim/results.hpp"
#include "sim/sim_config.hpp"

namespace headroom::sim {

class live_rig;

struct live_config {
  std::int64_t speed = 60;   ///< Virtual seconds per real second.
  std::int64_t lead_s = 30;  ///< Real seconds from the start to the fleet's first delivery.
  std::int64_t image_bytes = 256 * 1024;  ///< Of each package's synthetic image.
  std::string data_dir;                   ///< Each strategy's stores in a folder of its own below.
};

/// Checks the knobs; the error names the flag.
domain::expected<live_config> validate(live_config config);

/// The strategies a live run can play: those decided before the rollout or by the
/// detector itself (rollout-groups waits on finished groups, which nothing drives live).
bool plays_live(strategy s);

struct live_result {
  strategy_result measured;
  strategy_result predicted;  ///< The virtual-time replay of the same scaled fleet.
  live_counters counters;
  fleet_summary summary;        ///< Of the scaled fleet.
  domain::interval horizon;     ///< The scaled fleet's, on the real clock.
  domain::instant origin = 0;   ///< The real second the fleet's first delivery was due at.
  std::int64_t moves_seen = 0;  ///< Re-schedules that reached the devices.
  std::int64_t reports_lost = 0;
  std::int64_t samples_missed = 0;
  std::int64_t maintenance_windows_dropped = 0;
  bool cut_short = false;  ///< Stopped (cancel, or the safety deadline) before every job ended.
};

/// Called on the running thread once the rig is up and the devices are about to check in.
using live_started = std::function<void(const live_rig&)>;

/// Plays `s` on `f`; `cancel` (optional) stops it early. The error says which part could
/// not start.
domain::expected<live_result> run_live(const domain::fleet& f, strategy s, const sim_config& config,
                                       const live_config& live, domain::wall_clock clock,
                                       common::progress_lane& lane,
                                       const std::atomic<bool>* cancel = nullptr,
                                       const live_started& started = {});

}  // namespace headroom::sim
