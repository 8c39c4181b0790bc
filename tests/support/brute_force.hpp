#pragma once

// A per-second reference for the load rules of the fleet file, written
// independently of domain/ so that the property tests compare two implementations.

#include <cstdint>
#include <string>
#include <vector>

#include "domain/fleet.hpp"
#include "domain/load_profile.hpp"

namespace headroom::test {

struct reference_window {
  std::string proxy;
  domain::interval span;
  std::int32_t peak = 0;
  std::int32_t threshold = 0;
  std::vector<std::string> jobs;
  friend bool operator==(const reference_window&, const reference_window&) = default;
};

/// Load of every proxy at every second of the horizon: loads[p][t - horizon.start].
std::vector<std::vector<std::int32_t>> brute_force_loads(const domain::fleet& f,
                                                         const domain::schedule& starts,
                                                         domain::interval horizon);

/// Windows by the definition: maximal runs over threshold, ordered by proxy id then start.
std::vector<reference_window> brute_force_windows(const domain::fleet& f,
                                                  const domain::schedule& starts,
                                                  domain::interval horizon);

/// Whether job j loads proxies (device relayed, customer under a distribution contract).
bool job_counts(const domain::fleet& f, domain::index_t j);

}  // namespace headroom::test
