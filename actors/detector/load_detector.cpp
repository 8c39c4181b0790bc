#include "actors/detector/load_detector.hpp"

#include <functional>

#include "detector/detector_errors.hpp"

namespace headroom::detector {
namespace {

using self_pointer = load_detector_actor::stateful_pointer<load_detector_state>;
using domain::index_t;

/// Adds the proxy to `batch` when its windows differ from those reported last.
void report(self_pointer self, const std::string& proxy,
            std::vector<distribution_api::window_record> windows, windows_batch& batch) {
  auto& st = self->state;
  auto it = st.reported.find(proxy);
  const bool had = it != st.reported.end();
  // A proxy is reported once even without windows, so that a warning an earlier run left
  // behind for it is cleared (the notifier knows whether there is one).
  const bool first = st.known.insert(proxy).second;
  if (!first && (had ? it->second == windows : windows.empty())) return;
  if (windows.empty()) {
    if (had) st.reported.erase(it);
  } else {
    st.reported[proxy] = windows;
  }
  batch.proxies.push_back({proxy, st.model, std::move(windows)});
}

/// Sends one model's reports in one message, so that the adjuster plans them together.
void send(self_pointer self, windows_batch batch) {
  if (!batch.proxies.empty() && self->state.adjuster)
    self->send(self->state.adjuster, std::move(batch));
}

void rebuild(self_pointer self) {
  auto& st = self->state;
  const auto& f = st.model->fleet;
  std::vector<index_t> mine;
  for (index_t p = 0; p < f.proxies.size(); ++p)
    if (in_shard(f.proxies[p].id, st.config.shard, st.config.shards)) mine.push_back(p);
  domain::schedule starts(f.jobs.size());
  for (index_t j = 0; j < f.jobs.size(); ++j)
    starts[j] = st.model->counting.job_counts[j] ? f.jobs[j].start : domain::unscheduled;
  st.tracker =
      std::make_unique<domain::load_tracker>(f, st.model->counting, starts, *f.horizon, mine);
  st.tracker->take_changed();
  ++st.rebuilds;

  windows_batch batch;
  auto gone = st.reported;
  for (index_t p : mine) {
    gone.erase(f.proxies[p].id);
    report(self, f.proxies[p].id, window_records(f, st.tracker->windows(p)), batch);
  }
  for (const auto& [proxy, windows] : gone) report(self, proxy, {}, batch);
  send(self, std::move(batch));
}

void apply_changes(self_pointer self) {
  auto& st = self->state;
  const auto& f = st.model->fleet;
  for (index_t j : st.model->changed_jobs) {
    const auto& job = f.jobs[j];
    std::optional<domain::interval> span;
    if (st.model->counting.job_counts[j]) span = job.span();
    st.tracker->place(j, job.device, span);
  }
  windows_batch batch;
  for (index_t p : st.tracker->take_changed())
    report(self, f.proxies[p].id, window_records(f, st.tracker->windows(p)), batch);
  send(self, std::move(batch));
}

}  // namespace

bool in_shard(const std::string& id, std::uint32_t shard, std::uint32_t shards) {
  return shards <= 1 || std::hash<std::string>{}(id) % shards == shard;
}

load_detector_actor::behavior_type load_detector(self_pointer self, load_detector_config config,
                                                 adjuster_actor adjuster) {
  self->state.config = config;
  self->state.adjuster = std::move(adjuster);
  return {
      [=](const model_ptr& model) {
        auto& st = self->state;
        const bool follows = st.model && model->generation == st.model->generation + 1;
        st.model = model;
        ++st.models;
        if (model->full || !follows || !st.tracker)
          rebuild(self);
        else
          apply_changes(self);
      },
      [=](atom::status) {
        detector_windows out;
        out.by_proxy = self->state.reported;
        return out;
      },
  };
}

domain::expected<load_detector_config> validate(load_detector_config config) {
  if (config.shards < 1) return domain::error{"detection.shards", "must be at least 1"};
  if (config.shard >= config.shards)
    return domain::error{"shard", "must be below the number of shards"};
  return config;
}

caf::expected<load_detector_actor> spawn_load_detector(caf::actor_system& system,
                                                       load_detector_config config,
                                                       adjuster_actor adjuster) {
  auto valid = validate(config);
  if (!valid) return invalid_config("load detector: " + valid.failure().message());
  if (!adjuster) return invalid_config("load detector: no adjuster");
  return system.spawn(load_detector, *valid, std::move(adjuster));
}

}  // namespace headroom::detector
