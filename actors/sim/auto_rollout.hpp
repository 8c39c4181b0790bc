#pragma once
// headroom-auto (docs/simulation.md, rule 6): the detector runs during the rollout, on the
// virtual clock. The rollout simulator actor replays the case second by second; what the
// relays would report (refusals, observed download times) changes the detector's model,
// which it publishes to the real load detector at most once per re-plan interval, as the
// schedule fetcher does; the real adjuster, in auto mode, answers with adjustments, which
// the simulator applies to the jobs that have not started, as the distribution system
// would (a move quoting an old version is refused).

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "actors/sim/interfaces.hpp"
#include "common/progress.hpp"
#include "domain/duration_estimates.hpp"
#include "domain/load_profile.hpp"
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
  [[nodiscard]] std::int64_t moves_applied() const { return moves_applied_; }
  [[nodiscard]] std::int64_t moves_refused() const { return moves_refused_; }

  [[nodiscard]] domain::instant published_at() const { return published_at_; }
  /// Models published so far.
  [[nodiscard]] std::uint64_t publications() const { return generation_; }

  void refused(domain::index_t job, domain::instant at,
               std::optional<domain::instant> retry_at) override;
  void finished(domain::index_t job, domain::instant at, bool succeeded) override;

 private:
  void changed(domain::index_t job, bool replan);
  /// The detector must look at the next second after the re-plan interval.
  void due();
  /// Predicts again the jobs of the pairs observed since the last publication.
  void repredict();
  std::int64_t predicted(domain::index_t job) const;
  /// The next model to publish, holding what model_ holds.
  std::shared_ptr<detector::detector_model> recycled();

  const rollout_case& case_;
  replay& replay_;
  std::int64_t interval_s_;
  std::shared_ptr<detector::detector_model> model_;  ///< The detector's view now; never sent.
  std::shared_ptr<detector::detector_model> last_;   ///< Published last.
  std::shared_ptr<detector::detector_model> spare_;  ///< Published before last_.
  std::vector<domain::index_t> spare_lacks_;         ///< Jobs changed in last_, not in spare_.
  domain::duration_estimates estimates_;
  std::unordered_map<std::string, domain::index_t> job_index_;
  /// A (device model, package): the jobs whose predictions its observations change.
  struct pair_jobs {
    std::string model;
    std::string package;
    std::vector<domain::index_t> live;  ///< Not finished when last looked at.
    bool dirty = false;                 ///< Observed since the last publication.
  };
  std::vector<pair_jobs> pairs_;
  std::vector<std::uint32_t> pair_of_job_;
  std::vector<std::uint32_t> dirty_pairs_;
  std::uint64_t generation_ = 0;
  std::vector<domain::index_t> changed_;
  std::vector<std::uint8_t> is_changed_;
  std::optional<domain::instant> due_;  ///< When the model must be published next.
  domain::instant published_at_ = 0;
  bool first_ = true;
  std::int64_t moves_applied_ = 0;
  std::int64_t moves_refused_ = 0;
};

struct rollout_simulator_state {
  rollout_simulator_state() = default;
  static constexpr const char* name = "rollout-simulator";

  // Owned by run_headroom_auto, which outlives the actor.
  replay* rollout = nullptr;
  detector_view* view = nullptr;
  common::progress_lane* lane = nullptr;
  std::vector<detector::load_detector_actor> detectors;
  std::uint64_t notifications = 0;
};

/// Spawns the rollout simulator on `rollout`, which `view` observes.
caf::expected<rollout_simulator_actor> spawn_rollout_simulator(caf::actor_system& system,
                                                               replay& rollout, detector_view& view,
                                                               common::progress_lane& lane);

/// Runs headroom-auto on `c`: a deterministic actor system (CAF's test coordinator runs
/// every actor on this thread, in order, so the same case gives the same result), the real
/// load detector and adjuster in auto mode, and the rollout simulator.
strategy_result run_headroom_auto(const rollout_case& c, const sim_config& config,
                                  common::progress_lane& lane);

}  // namespace headroom::sim
