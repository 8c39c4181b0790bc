#pragma once
// The replay of one rollout (docs/simulation.md, rules 1 to 5): an event loop over plain
// arrays — devices, proxies and jobs by index, one calendar of whole seconds — that admits
// each communication by the relay's own rule (domain/admission.hpp). A strategy only
// decides when each job is first tried (`release`), and may move a job that has not
// started yet (`move`); the observer hears what happens to every job.

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"
#include "sim/event_calendar.hpp"
#include "sim/replay_layout.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

struct retry_policy {
  std::int32_t retries = 3;          ///< Tries after the first refused one.
  std::int64_t retry_after_s = 300;  ///< Between tries.
};

/// What a strategy hears while the replay runs.
class replay_observer {
 public:
  virtual ~replay_observer() = default;
  /// A try of `job` was refused; `retry_at` is its next try, none when the job failed.
  virtual void refused(domain::index_t job, domain::instant at,
                       std::optional<domain::instant> retry_at) = 0;
  /// The job succeeded (it ended at `at`) or failed (its last try was refused at `at`).
  virtual void finished(domain::index_t job, domain::instant at, bool succeeded) = 0;
};

enum class job_state : std::uint8_t { waiting, pending, active, succeeded, failed };

class replay {
 public:
  /// `durations` is each job's real duration (the fleet's, or with noise); `chart` sets
  /// the buckets of the load series. The fleet, counting, layout and durations must
  /// outlive the replay.
  replay(const domain::fleet& f, const domain::counting& c, const replay_layout& layout,
         const std::vector<std::int64_t>& durations, retry_policy policy, domain::interval horizon,
         load_series chart);

  void set_observer(replay_observer* observer) { observer_ = observer; }

  /// Plans the first try of a counted job that is still waiting, at `at`: not before the
  /// second being handled (a job released during it is tried after its other starts).
  void release(domain::index_t job, domain::instant at);

  /// Moves the next try of a pending job to `at`, later than the current second.
  /// False when the job is not pending (it started or finished meanwhile).
  bool move(domain::index_t job, domain::instant at);

  /// The next second with anything to do.
  [[nodiscard]] std::optional<domain::instant> next_instant() const { return calendar_.next(); }

  /// Handles the next second; false when nothing is left.
  bool step();

  [[nodiscard]] domain::instant now() const { return now_; }
  [[nodiscard]] job_state state(domain::index_t job) const { return jobs_[job].state; }
  /// The second of a pending job's next try.
  [[nodiscard]] domain::instant next_try(domain::index_t job) const { return jobs_[job].next_try; }
  [[nodiscard]] const job_outcome& outcome(domain::index_t job) const { return jobs_[job].outcome; }
  [[nodiscard]] std::int64_t duration(domain::index_t job) const { return durations_[job]; }
  /// Jobs that succeeded or failed so far.
  [[nodiscard]] std::int64_t finished() const { return finished_; }

  /// Fills the counters, peaks, every counted job's outcome and the load series of `out`
  /// (the metrics are computed from them by summarise, sim/metrics.hpp); call it once.
  void collect(strategy_result& out);

 private:
  struct job_slot {
    job_state state = job_state::waiting;
    domain::instant next_try = 0;
    job_outcome outcome;
  };
  /// One entry of the fleet's services[], kept compact: its devices are a stretch of
  /// the layout's service_devices, by id.
  struct service_stream {
    domain::instant next = 0;
    std::int64_t every = 0;
    std::int64_t duration = 0;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
  };

  bool try_start(domain::index_t device);
  void end(domain::index_t device);
  void count_load(domain::index_t proxy, std::int32_t level);
  void attempt(domain::index_t job);
  void occur(domain::index_t service);
  void finish(domain::index_t job, bool succeeded);

  const domain::fleet& fleet_;
  const std::vector<std::uint8_t>& counted_;
  const replay_layout& layout_;
  const std::vector<std::int64_t>& durations_;
  retry_policy policy_;
  domain::interval horizon_;
  replay_observer* observer_ = nullptr;

  std::vector<std::int32_t> device_active_;  ///< Communications under way, by device number.
  std::vector<std::int32_t> capacity_;
  std::vector<std::int32_t> proxy_active_;  ///< Distinct devices, per proxy.
  std::vector<std::int32_t> peak_;
  load_series load_;

  std::vector<job_slot> jobs_;
  std::vector<service_stream> services_;

  event_calendar calendar_;
  domain::instant now_ = 0;
  std::uint64_t events_ = 0;
  std::int64_t finished_ = 0;
  std::int64_t refusals_ = 0;
  std::int64_t service_refusals_ = 0;
};

/// Counted service occurrences intersecting the horizon, one per device.
std::int64_t count_service_occurrences(const domain::fleet& f, const replay_layout& layout,
                                       domain::interval horizon);

}  // namespace headroom::sim
