#include "sim/rollout_groups.hpp"

#include <algorithm>

#include "sim/first_starts.hpp"

namespace headroom::sim {

// Exact products of counts and durations, beyond what 64 bits promise.
__extension__ using wide = __int128;

using domain::index_t;
using domain::instant;

std::int64_t group_size(std::int64_t jobs, decimal_share share) {
  const wide scaled = static_cast<wide>(jobs) * share.numerator;
  const auto size = static_cast<std::int64_t>((scaled + share.denominator - 1) / share.denominator);
  return std::max<std::int64_t>(1, size);
}

rollout_groups::rollout_groups(const domain::fleet& f, const domain::counting& c,
                               decimal_share share)
    : fleet_(f), order_(rollout_order(f, c)) {
  size_ = static_cast<std::size_t>(group_size(static_cast<std::int64_t>(order_.size()), share));
  const std::size_t groups = (order_.size() + size_ - 1) / size_;
  unfinished_.assign(groups, 0);
  group_of_.assign(f.jobs.size(), 0);
  for (std::size_t k = 0; k < order_.size(); ++k) {
    group_of_[order_[k]] = static_cast<std::uint32_t>(k / size_);
    ++unfinished_[k / size_];
  }
}

void rollout_groups::begin(replay& r) {
  replay_ = &r;
  if (!order_.empty()) open(0, fleet_.jobs[order_.front()].start);
}

void rollout_groups::open(std::size_t group, instant at) {
  const std::size_t first = group * size_;
  const std::size_t last = std::min(order_.size(), first + size_);
  // Rollout order puts the group's earliest start first.
  const instant opening = std::max(at, fleet_.jobs[order_[first]].start);
  for (std::size_t k = first; k < last; ++k)
    replay_->release(order_[k], std::max(fleet_.jobs[order_[k]].start, opening));
}

void rollout_groups::finished(index_t job, instant at, bool) {
  const auto group = group_of_[job];
  if (--unfinished_[group] == 0 && group + 1 < unfinished_.size()) open(group + 1, at);
}

}  // namespace headroom::sim
