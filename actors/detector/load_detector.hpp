#pragma once
// A load detector (claims 1, 2): one actor per shard of proxies, so that detection
// scales by adding actors across cores. It keeps its proxies' load timelines with a
// domain::load_tracker — a new model of changed jobs touches only their spans — and
// reports a proxy's windows to the adjuster when it first sees the proxy and whenever they
// appear, change or disappear: the proxies one model changed in one windows_batch.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "actors/detector/interfaces.hpp"
#include "detector/window_records.hpp"
#include "domain/expected.hpp"
#include "domain/load_tracker.hpp"

namespace headroom::detector {

struct load_detector_config {
  std::uint32_t shard = 0;   ///< This detector's shard ...
  std::uint32_t shards = 1;  ///< ... of this many.
};

/// Whether the proxy `id` belongs to `shard` of `shards` (stable across models).
bool in_shard(const std::string& id, std::uint32_t shard, std::uint32_t shards);

struct load_detector_state {
  load_detector_state() = default;
  static constexpr const char* name = "load-detector";

  load_detector_config config;
  adjuster_actor adjuster;
  model_ptr model;
  std::unique_ptr<domain::load_tracker> tracker;
  /// The windows last reported, by proxy id; proxies without windows are absent.
  std::map<std::string, std::vector<distribution_api::window_record>> reported;
  std::set<std::string> known;  ///< Proxies reported at least once.
  std::uint64_t models = 0;
  std::uint64_t rebuilds = 0;
};

/// Checks the settings; the error names the setting.
domain::expected<load_detector_config> validate(load_detector_config config);

/// Validates the settings and spawns one shard's load detector, which reports to `adjuster`.
caf::expected<load_detector_actor> spawn_load_detector(caf::actor_system& system,
                                                       load_detector_config config,
                                                       adjuster_actor adjuster);

load_detector_actor::behavior_type load_detector(
    load_detector_actor::stateful_pointer<load_detector_state> self, load_detector_config config,
    adjuster_actor adjuster);

}  // namespace headroom::detector
