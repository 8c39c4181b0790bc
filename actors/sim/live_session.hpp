#pragma once
// A live rollout under way: the rig (distribution system, detector, relays), the device
// clients, the rollout they play and the devices' reports to the distribution system,
// started together and stopped in order. `headroom sim --live` measures one per strategy;
// `headroom demo` runs one until Ctrl-C.

#include <memory>

#include "actors/sim/live_rig.hpp"
#include "domain/counting.hpp"
#include "domain/expected.hpp"
#include "domain/fleet.hpp"
#include "domain/wall_clock.hpp"
#include "sim/live/device_clients.hpp"
#include "sim/live/distribution_agent.hpp"
#include "sim/live/live_rollout.hpp"

namespace headroom::sim {

class live_session {
 public:
  /// Imports `f` (real times; each job's start is its first try), starts the rig, has
  /// every relayed device check in before `first_delivery`, and plays the rollout from
  /// then on. `f` and `counting` must outlive the session.
  static domain::expected<std::unique_ptr<live_session>> start(
      const domain::fleet& f, const domain::counting& counting, retry_policy policy,
      domain::interval horizon, const live_rig_config& config, domain::wall_clock clock,
      domain::instant first_delivery);
  ~live_session();
  live_session(const live_session&) = delete;
  live_session& operator=(const live_session&) = delete;

  [[nodiscard]] live_rig& rig() { return *rig_; }
  [[nodiscard]] const live_rollout& rollout() const { return *rollout_; }
  [[nodiscard]] const distribution_agent& agent() const { return *agent_; }

  /// Stops the devices, their reports, then the rig. Idempotent.
  void stop();

 private:
  live_session() = default;

  std::unique_ptr<live_rig> rig_;
  std::unique_ptr<device_clients> clients_;
  std::unique_ptr<live_rollout> rollout_;
  std::unique_ptr<distribution_agent> agent_;
};

}  // namespace headroom::sim
