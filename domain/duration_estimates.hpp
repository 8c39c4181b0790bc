#pragma once
// Observed transfer times refine predicted job durations (issue 5). A relay measures how
// long each large download took; per (device model, package) the estimator keeps the
// most recent observations and predicts a job's duration as the larger of what the
// distribution system planned and the 90th percentile observed. It only ever lengthens
// a prediction: a shorter estimate could hide an overload, a longer one at worst
// warns early.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace headroom::domain {

class duration_estimates {
 public:
  /// At least this many observations before a pair's estimate is used.
  static constexpr std::size_t min_observations = 3;
  /// Only the newest observations count, so that a faster network shows quickly.
  static constexpr std::size_t kept_observations = 32;

  /// Records a transfer of `package` to a device of `model` that took `transfer_ms`.
  /// Returns whether the pair's estimate changed.
  bool observe(const std::string& model, const std::string& package, std::int64_t transfer_ms);

  /// The 90th percentile of the kept observations in whole seconds (rounded up), once
  /// there are enough of them.
  [[nodiscard]] std::optional<std::int64_t> observed_seconds(const std::string& model,
                                                             const std::string& package) const;

  /// The duration to predict for a job planned to last `planned_s`.
  [[nodiscard]] std::int64_t predict(const std::string& model, const std::string& package,
                                     std::int64_t planned_s) const;

  [[nodiscard]] std::size_t pairs() const { return samples_.size(); }

 private:
  struct pair_state {
    std::deque<std::int64_t> recent_ms;
    std::optional<std::int64_t> estimate_s;
  };
  std::map<std::pair<std::string, std::string>, pair_state> samples_;
};

}  // namespace headroom::domain
