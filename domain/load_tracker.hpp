#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/counting.hpp"
#include "domain/detection.hpp"
#include "domain/fleet.hpp"
#include "domain/load_profile.hpp"
#include "domain/tracked_proxy.hpp"

namespace headroom::domain {

/// The load timelines and overloaded windows of a set of proxies (a shard), kept up to
/// date as jobs move, appear or stop loading, without recomputing the whole profile.
///
/// A change of one job touches only the time it leaves and the time it takes: there the
/// device's coverage (its other jobs and its service occurrences) decides where the
/// device starts or stops being active, and those pieces add or remove one device on
/// every tracked proxy of its path. Only the windows near them are rebuilt.
/// Everything equals build_load_profile and detect on the same fleet and schedule,
/// except that window job lists are in index order (detect orders them by job id,
/// which is the same order when the fleet lists jobs in id order).
class load_tracker {
 public:
  /// Tracks `proxies` (indices into f.proxies) of f under `starts` (counted jobs per c).
  /// Throws std::logic_error when a proxy index or the sizes of c and starts do not
  /// match f: those are the caller's bugs, not input.
  load_tracker(const fleet& f, const counting& c, const schedule& starts, interval horizon,
               std::vector<index_t> proxies);

  /// Job `job` of device `device` now loads the device's proxies during `span`, or no longer
  /// (nullopt). `job` may be a new index (jobs appended to the fleet since construction).
  /// The device's path and service group are those of construction; jobs of a device
  /// in direct mode or without a software distribution contract load nothing, as in
  /// count_communications. A job moved to another device leaves the first one.
  void place(index_t job, index_t device, std::optional<interval> span);

  /// The tracked proxies whose windows changed (appeared, changed or disappeared — also a
  /// change of a window's job list) since the last call, ascending, and forgets them.
  /// Each place() compares the windows it touched before and after, so a proxy is
  /// reported only when a change made its windows differ (two changes that undo each
  /// other between two calls still report it).
  std::vector<index_t> take_changed();

  /// A tracked proxy's windows, exactly as detect() would give them for this proxy
  /// (span, peak, threshold, jobs: counted jobs intersecting the window, ascending index).
  /// Lists a window's jobs once and then keeps the list, so one tracker must not be read
  /// from two threads at once (each load detector actor owns its tracker).
  [[nodiscard]] std::vector<overload_window> windows(index_t proxy) const;

  /// A tracked proxy's timeline, exactly as build_load_profile would give it.
  [[nodiscard]] load_timeline timeline(index_t proxy) const;

  /// Whether `proxy` is one of the tracked proxies.
  [[nodiscard]] bool tracks(index_t proxy) const;

  /// The tracked proxies, ascending.
  [[nodiscard]] std::vector<index_t> proxies() const;

  /// Approximate heap bytes held (for the memory benchmark).
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  static constexpr std::uint32_t untracked = UINT32_MAX;

  struct device_entry {
    index_t group = no_group;
    bool jobs_count = false;           ///< Relayed, under a software distribution contract.
    std::vector<std::uint32_t> slots;  ///< Positions in slots_ of the tracked proxies of its path.
    std::vector<index_t> jobs;         ///< Its jobs that load its proxies now.
  };

  struct job_entry {
    interval span;
    index_t device = 0;
    bool loads = false;  ///< Counted, placed, and its device is behind a tracked proxy.
  };

  /// The parts of `range` (clipped to the horizon) in which `device` is not already
  /// active through one of its registered jobs or service occurrences.
  [[nodiscard]] std::vector<interval> uncovered(index_t device, interval range) const;
  /// The timelines of the tracked proxies, by slot, built from the part of the fleet
  /// behind them (devices_ must hold every device's slots already).
  [[nodiscard]] std::vector<load_timeline> shard_timelines(const fleet& f, const counting& c,
                                                           const schedule& starts,
                                                           std::size_t slots) const;
  /// Takes job's load off `before` and puts it on `after` (either may load nothing).
  void move_load(index_t job, const job_entry& before, const job_entry& after);
  /// Adds `delta` on every tracked proxy of `device`'s path wherever `span` is uncovered.
  void add_device_load(index_t device, interval span, std::int32_t delta);
  void register_job(index_t job, const job_entry& e);
  void unregister_job(index_t job, const job_entry& e);
  [[nodiscard]] const tracked_proxy& slot(index_t proxy) const;
  [[nodiscard]] bool on_path(index_t device, std::uint32_t s) const;

  interval horizon_;
  std::vector<std::vector<periodic>> groups_;
  std::vector<std::uint32_t> slot_of_;  ///< By proxy index: its position in slots_, or untracked.
  std::vector<tracked_proxy> slots_;    ///< Ascending proxy index.
  std::vector<device_entry> devices_;
  std::vector<job_entry> jobs_;
  std::vector<std::uint8_t> changed_;         ///< By slot.
  std::vector<std::uint32_t> changed_slots_;  ///< The slots flagged in changed_, unordered.
};

}  // namespace headroom::domain
