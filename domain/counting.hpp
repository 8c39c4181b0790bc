#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "domain/fleet.hpp"

namespace headroom::domain {

/// A periodic communication reduced to what loads a proxy: occurrences
/// [phase + k * every, phase + k * every + duration) for every integer k, 0 <= phase < every.
struct periodic {
  instant phase = 0;
  std::int64_t every = 0;
  std::int64_t duration = 0;
  friend auto operator<=>(const periodic&, const periodic&) = default;
};

/// A service schedule's occurrences as a pattern (its first start reduced to the phase).
periodic pattern_of(const service_schedule& s);

/// The start of the first occurrence of `p` that ends after `from`.
inline instant first_ending_after(const periodic& p, instant from) {
  const auto floor_div = [](std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); };
  return p.phase + (floor_div(from - p.duration - p.phase, p.every) + 1) * p.every;
}

/// Calls `f(interval)` for every occurrence of `p` that intersects `range`, in time order.
template <class F>
void for_each_occurrence(const periodic& p, interval range, F&& f) {
  for (instant start = first_ending_after(p, range.start); start < range.end; start += p.every)
    f(interval{start, start + p.duration});
}

struct ignored_job {
  index_t job = 0;
  std::string reason;
};

inline constexpr index_t no_group = std::numeric_limits<index_t>::max();

/// Which communications load a proxy (claims 3 and 6): counted jobs, and for each
/// relayed device the periodic services its customer's contract includes. Devices
/// with the same set of periodic services share a group, so that a customer-wide
/// schedule is expanded once, not once per device.
struct counting {
  std::vector<std::uint8_t> job_counts;       ///< 1 where the job loads its proxies.
  std::vector<ignored_job> ignored;           ///< The other jobs, with the reason.
  std::vector<index_t> device_group;          ///< Per device: its service group, or no_group.
  std::vector<std::vector<periodic>> groups;  ///< Sorted, duplicate-free patterns per group.
};

/// The relayed devices each entry of the fleet's `services[]` loads, by device index: its
/// device, or every relayed device of its customer, when the contract has the service.
std::vector<std::vector<index_t>> devices_per_service(const fleet& f);

/// Applies the counting rules to a validated fleet.
counting count_communications(const fleet& f);

/// Whether two periodic patterns can never be active at the same instant: their
/// start differences are (a.phase - b.phase) + n * gcd(a.every, b.every).
bool never_overlap(const periodic& a, const periodic& b);

/// Whether no two patterns of a group ever overlap, so that a device of the group
/// is active in exactly one of them whenever it is active at all.
bool pairwise_disjoint(const std::vector<periodic>& group);

/// The union of a group's occurrences that intersect `range`, sorted and merged.
std::vector<interval> occurrences_union(const std::vector<periodic>& group, interval range);

}  // namespace headroom::domain
