#include "domain/duration_estimates.hpp"

#include <algorithm>
#include <vector>

namespace headroom::domain {

bool duration_estimates::observe(const std::string& model, const std::string& package,
                                 std::int64_t transfer_ms) {
  if (transfer_ms < 0) return false;
  auto& state = samples_[{model, package}];
  state.recent_ms.push_back(transfer_ms);
  if (state.recent_ms.size() > kept_observations) state.recent_ms.pop_front();
  if (state.recent_ms.size() < min_observations) return false;
  std::vector<std::int64_t> sorted(state.recent_ms.begin(), state.recent_ms.end());
  // Nearest-rank percentile: the smallest value at or above 90 % of the observations.
  const std::size_t rank = (sorted.size() * 9 + 9) / 10;
  std::nth_element(sorted.begin(), sorted.begin() + (rank - 1), sorted.end());
  const std::int64_t seconds = (sorted[rank - 1] + 999) / 1000;
  const bool changed = state.estimate_s != seconds;
  state.estimate_s = seconds;
  return changed;
}

std::optional<std::int64_t> duration_estimates::observed_seconds(const std::string& model,
                                                                 const std::string& package) const {
  auto it = samples_.find({model, package});
  if (it == samples_.end()) return std::nullopt;
  return it->second.estimate_s;
}

std::int64_t duration_estimates::predict(const std::string& model, const std::string& package,
                                         std::int64_t planned_s) const {
  auto observed = observed_seconds(model, package);
  return observed ? std::max(planned_s, *observed) : planned_s;
}

}  // namespace headroom::domain
