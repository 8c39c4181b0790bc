#pragma once
// headroom-auto (docs/simulation.md, rule 6): the detector runs during the rollout, on the
// virtual clock. The rollout simulator actor replays the case second by second; what the
// relays would report (refusals, observed download times) changes the detector's model,
// which it publishes to the real load detector at most once per re-plan interval, as the
// schedule fetcher does; the real adjuster, in auto mode, answers with adjustments, which
// the simulator applies to the jobs that have not started, as the distribution system
// would (a move quoting an old version is refused).

#include <caf/typed_event_based_actor.hpp>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "actors/sim/interfaces.hpp"
#include "domain/duration_estimates.hpp"
#include "domain/load_profile.hpp"
#include "sim/progress.hpp"
#include "sim/rollout_case.hpp"

namespace headroom::sim {

/// The detector's side of one headroom-auto run, kept apart from the actor so that the
/// rules of what changes the model read in one place.
class detector_view final : public replay_observer {
 public:
  detector_view(const rollout_case& c, replay& r, const domain::schedule& plan,
                std::int64_t replan_interval_s);

  /// The model to publish now, when the detector must look before the second `next`
  /// (none: the replay is over); nullptr when nothing is due.
  detector::model_ptr due_model(std::optional<domain::instant> next);

  /// Applies one move as the distribution system would; false when refused.
  bool apply(const distribution_api::move_record& move);

  [[nodiscard]] domain::instant published_at() const { return published_at_; }
  [[nodiscard]] std::uint64_t publications() const { return generation_; }

  void refused(domain::index_t job, domain::instant at,
               std::optional<domain::instant> retry_at) override;
  void started(domain::index_t, domain::instant) override {}
  void finished(domain::index_t job, domain::instant at, bool succeeded) override;

 private:
  void changed(domain::index_t job, bool replan);
  std::int64_t predicted(domain::index_t job) const;

  const rollout_case& case_;
  replay& replay_;
  std::int64_t interval_s_;
  std::shared_ptr<detector::detector_model> model_;
  domain::duration_estimates estimates_;
  std::unordered_map<std::string, domain::index_t> job_index_;
  /// The jobs of each (device model, package): whose predictions an observation changes.
  std::map<std::pair<std::string, std::string>, std::vector<domain::index_t>> pair_jobs_;
  std::uint64_t generation_ = 0;
  std::vector<domain::index_t> changed_;
  std::vector<std::uint8_t> is_changed_;
  std::optional<domain::instant> due_;  ///< When the model must be published next.
  domain::instant published_at_ = 0;
  bool first_ = true;
};

struct rollout_simulator_state {
  rollout_simulator_state() = default;
  static constexpr const char* name = "rollout-simulator";

  replay* replay_ = nullptr;  ///< Owned by run_headroom_auto, which outlives the actor.
  detector_view* view = nullptr;
  std::vector<detector::load_detector_actor> detectors;
  progress_lane* lane = nullptr;
  std::uint64_t notifications = 0;
  std::uint64_t moves_applied = 0;
  std::uint64_t moves_refused = 0;
};

/// Runs headroom-auto on `c`: a deterministic actor system (CAF's test coordinator runs
/// every actor on this thread, in order, so the same case gives the same result), the real
/// load detector and adjuster in auto mode, and the rollout simulator.
strategy_result run_headroom_auto(const rollout_case& c, const sim_config& config,
                                  progress_lane& lane);

}  // namespace headroom::sim
