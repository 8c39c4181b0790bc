#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "domain/detection.hpp"
#include "domain/fleet.hpp"
#include "domain/job_index.hpp"
#include "domain/load_profile.hpp"

namespace headroom::domain {

/// An overloaded window without its jobs: what the load alone decides.
struct window_bounds {
  interval span;
  std::int32_t peak = 0;
  friend bool operator==(const window_bounds&, const window_bounds&) = default;
};

/// One proxy's load timeline and overloaded windows, kept equal to what
/// build_load_profile and find_windows give, under range additions of load.
/// The timeline is the step function itself (a sorted vector, 16 bytes a step):
/// an addition splits at most two steps and shifts the ones it covers, and only
/// the windows touching the changed range are rebuilt. Each window keeps its job list
/// once asked for it, updated as jobs come and go, so reading the windows of a proxy
/// after a change costs a copy, not a search (a tracker serves one thread at a time).
class tracked_proxy {
 public:
  /// `initial` as build_load_profile gives it: first step at the horizon's start.
  tracked_proxy(index_t proxy, std::int32_t threshold, interval horizon, load_timeline initial);

  /// Adds `delta` devices over `span` (clipped to the horizon) and rebuilds the windows there.
  void add(interval span, std::int32_t delta);

  /// The windows that touch (intersect or share an end with) any of `ranges`,
  /// which are sorted and disjoint, in time order.
  [[nodiscard]] std::vector<window_bounds> windows_touching(
      const std::vector<interval>& ranges) const;

  /// The positions [first, last) of the windows a job over `span` belongs to, as detect
  /// attributes jobs (window end after the job's start, window start before its end);
  /// {0, 0} when none.
  [[nodiscard]] std::pair<std::size_t, std::size_t> windows_hit(interval span) const;

  /// A counted job on this proxy, for the job lists of the windows.
  void insert_job(index_t job, interval span);
  void erase_job(index_t job, interval span);

  /// Adds the initial jobs unsorted; call sort_jobs() once after the last one.
  void append_job(index_t job, interval span);
  void sort_jobs();

  [[nodiscard]] index_t proxy() const { return proxy_; }
  [[nodiscard]] const load_timeline& timeline() const { return steps_; }
  /// The windows with their jobs (ascending index), as detect gives them for this proxy.
  [[nodiscard]] std::vector<overload_window> windows() const;
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  struct window_state {
    window_bounds bounds;
    /// The window's jobs in index order, once windows() listed them; kept up to
    /// date by insert_job and erase_job, dropped when the window's span changes.
    mutable std::optional<std::vector<index_t>> jobs;
  };

  /// The position of the step starting at t, splitting the step that holds t if needed.
  std::size_t split_at(instant t);
  void count_length(std::int64_t length);
  /// The jobs of window w, listed from the job index.
  [[nodiscard]] std::vector<index_t> list_jobs(const window_bounds& w) const;
  /// Rebuilds the windows that the load over [lo, hi) decides, after that load changed.
  void refresh_windows(instant lo, instant hi);

  index_t proxy_;
  std::int32_t threshold_;
  interval horizon_;
  load_timeline steps_;
  std::vector<window_state> windows_;  ///< Ordered by start, disjoint, never touching.
  job_index jobs_;
  std::int64_t longest_job_ = 0;  ///< Bounds how far before a window a job may start.
  std::size_t longest_jobs_ = 0;  ///< How many jobs are that long (0: longest_job_ is stale).
};

}  // namespace headroom::domain
