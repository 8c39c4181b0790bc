#pragma once
// A rollout played by real device clients (sim/live/device_clients.hpp) on the wall
// clock, by the rules of the virtual-time replay (docs/simulation.md, rules 1 to 5): each
// counted job is tried at its second, a try a relay refuses is tried again after the
// retry wait, at most `retries` times, and the services' periodic communications run
// beside. It records what really happened (answers, bytes, hashes) as job outcomes the
// simulator's metrics read. Every state change happens on the clients' thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"
#include "sim/live/device_clients.hpp"
#include "sim/replay.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

/// Where the devices find the relays and the distribution system.
struct live_addresses {
  std::vector<live_endpoint> relay_of_proxy;  ///< By proxy index.
  live_endpoint origin;
};

/// A package's hosted image, as every download must receive it.
struct live_image {
  std::int64_t bytes = 0;
  std::string sha256;
};

/// What the live rollout tells the distribution system about a job, as devices report.
class job_listener {
 public:
  virtual ~job_listener() = default;
  virtual void running(domain::index_t job) = 0;
  virtual void retrying(domain::index_t job, domain::instant at) = 0;
  virtual void finished(domain::index_t job, bool succeeded) = 0;
};

struct live_counters {
  std::int64_t refusals = 0;
  std::int64_t service_refusals = 0;
  std::int64_t broken = 0;  ///< Tries that failed otherwise than by a refusal.
  std::string first_broken;
  std::int64_t check_ins = 0;
  std::int64_t check_ins_failed = 0;
  std::uint64_t bytes = 0;  ///< Verified package bytes received.
};

class live_rollout {
 public:
  /// Everything given must outlive the rollout.
  live_rollout(const domain::fleet& f, const domain::counting& c, live_addresses addresses,
               std::map<std::string, live_image> images, retry_policy policy,
               domain::interval horizon, device_clients& clients, domain::wall_clock clock);

  void set_listener(job_listener* listener) { listener_ = listener; }

  /// Every relayed device makes one short request through its relays in
  /// [from_ms, from_ms + spread_ms), so that the relays know it before the rollout, as
  /// they know devices that talk every day.
  void check_in(std::int64_t from_ms, std::int64_t spread_ms);

  /// Plans each counted job's first try at `starts` (by job index) and starts the
  /// services' occurrences from `from`.
  void start(const std::vector<domain::instant>& starts, domain::instant from);

  /// Moves the next try of a job that has not started to `at` (a re-schedule the
  /// distribution system applied). Callable from any thread.
  void move(domain::index_t job, domain::instant at);

  /// Jobs that succeeded or failed.
  [[nodiscard]] std::int64_t finished() const { return finished_.load(); }
  [[nodiscard]] std::int64_t failed() const { return failed_.load(); }
  /// Tries under way or done so far, and how many the relays refused.
  [[nodiscard]] std::int64_t tries() const { return tries_.load(); }
  [[nodiscard]] std::int64_t refused() const { return refused_.load(); }
  [[nodiscard]] std::int64_t jobs() const { return jobs_; }

  /// Outcomes and counters; call after the clients stopped.
  void collect(strategy_result& out) const;
  [[nodiscard]] const live_counters& counters() const { return counters_; }

 private:
  enum class state : std::uint8_t { waiting, pending, active, succeeded, failed };
  struct job_slot {
    state s = state::waiting;
    domain::instant next_try = 0;
    std::uint64_t generation = 0;  ///< Bumped by a move: a superseded try does nothing.
    job_outcome outcome;
  };

  void plan_try(domain::index_t job);
  void attempt(domain::index_t job, std::uint64_t generation);
  void ended(domain::index_t job, domain::instant at, const attempt_report& report);
  void occur(std::size_t service, domain::instant at);
  void check_in_device(domain::index_t device, int tries_left);
  device_request request_of(domain::index_t device, std::string target,
                            std::int64_t hold_until_ms) const;

  const domain::fleet& fleet_;
  const domain::counting& counting_;
  live_addresses addresses_;
  std::map<std::string, live_image> images_;
  retry_policy policy_;
  domain::interval horizon_;
  device_clients& clients_;
  domain::wall_clock clock_;
  job_listener* listener_ = nullptr;
  std::vector<std::vector<domain::index_t>> service_devices_;
  std::vector<job_slot> slots_;
  std::int64_t jobs_ = 0;
  std::atomic<std::int64_t> finished_{0};
  std::atomic<std::int64_t> failed_{0};
  std::atomic<std::int64_t> tries_{0};
  std::atomic<std::int64_t> refused_{0};
  live_counters counters_;
};

}  // namespace headroom::sim
