#pragma once
// The simulator's one event queue: the events of each whole second, kept together so that
// an instant is handled as the model's rule 3 asks (ends, then service occurrences, then
// delivery attempts), with a heap over the seconds that have any.

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "domain/fleet.hpp"

namespace headroom::sim {

/// Everything due at one second.
struct instant_events {
  std::vector<domain::index_t> job_ends;        ///< Deliveries ending, by job.
  std::vector<domain::index_t> service_ends;    ///< Service occurrences ending, by device.
  std::vector<domain::index_t> service_starts;  ///< Occurrences starting, by services[] entry.
  std::vector<domain::index_t> job_starts;      ///< Delivery attempts, by job (may be stale).

  [[nodiscard]] bool empty() const {
    return job_ends.empty() && service_ends.empty() && service_starts.empty() && job_starts.empty();
  }
  void clear();
};

class event_calendar {
 public:
  /// The events of second `t`, created empty when there were none. The reference stays
  /// valid until `release(t)`, whatever else is added meanwhile.
  instant_events& at(domain::instant t);

  /// The earliest second with events.
  [[nodiscard]] std::optional<domain::instant> next() const;

  /// Forgets second `t`, which must be the earliest, once it has been handled.
  void release(domain::instant t);

 private:
  std::deque<instant_events> slots_;
  std::vector<std::uint32_t> free_;
  std::unordered_map<domain::instant, std::uint32_t> slot_of_;
  std::priority_queue<domain::instant, std::vector<domain::instant>, std::greater<>> seconds_;
  // Most additions go to the second added to last (ends of one batch of starts).
  domain::instant last_time_ = 0;
  instant_events* last_ = nullptr;
};

}  // namespace headroom::sim
