#pragma once
// rollout-groups (hawkBit-style sequential groups with its REST default success threshold
// of 100 %): the jobs in rollout order are cut into groups of ceil(n × share); a group
// opens at the later of its earliest start and the second the previous group's last
// delivery finished (succeeded, or failed at its last refused try), and each of its jobs
// is first tried at max(its start, the opening).

#include <cstdint>
#include <vector>

#include "sim/replay.hpp"
#include "sim/sim_config.hpp"

namespace headroom::sim {

/// ceil(n × share), exactly; at least 1.
std::int64_t group_size(std::int64_t jobs, decimal_share share);

class rollout_groups final : public replay_observer {
 public:
  rollout_groups(const domain::fleet& f, const domain::counting& c, decimal_share share);

  /// Opens the first group; the others open as the replay finishes their predecessors.
  void begin(replay& r);

  void refused(domain::index_t, domain::instant, std::optional<domain::instant>) override {}
  void finished(domain::index_t job, domain::instant at, bool succeeded) override;

 private:
  void open(std::size_t group, domain::instant at);

  const domain::fleet& fleet_;
  replay* replay_ = nullptr;
  std::vector<domain::index_t> order_;
  std::size_t size_ = 1;
  std::vector<std::int64_t> unfinished_;  ///< Per group.
  std::vector<std::uint32_t> group_of_;   ///< Per job.
};

}  // namespace headroom::sim
