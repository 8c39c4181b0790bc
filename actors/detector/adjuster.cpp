#include "actors/detector/adjuster.hpp"

#include <algorithm>

#include "detector/detector_errors.hpp"
#include "detector/window_records.hpp"
#include "domain/adjuster.hpp"
#include "domain/sub_fleet.hpp"

namespace headroom::detector {
namespace {

using self_pointer = adjuster_actor::stateful_pointer<adjuster_state>;
using domain::index_t;

std::optional<index_t> proxy_index(const domain::fleet& f, const std::string& id) {
  for (index_t p = 0; p < f.proxies.size(); ++p)
    if (f.proxies[p].id == id) return p;
  return std::nullopt;
}

/// Keeps only the chosen proxy's windows, so that only its jobs are movable.
void keep_windows_of(domain::detection& d, index_t proxy) {
  std::erase_if(d.windows, [&](const domain::overload_window& w) { return w.proxy != proxy; });
}

bool same_news(const distribution_api::notification_record& a,
               const distribution_api::notification_record& b) {
  return a.windows == b.windows && a.suggested_moves == b.suggested_moves;
}

}  // namespace

const char* to_string(detector_mode mode) { return common::spelling(detector_modes, mode).data(); }

adjuster_output plan_for(const adjuster_config& config, const proxy_windows& in) {
  adjuster_output out;
  auto& note = out.notification;
  note.detector = config.detector_id;
  note.proxy = in.proxy;
  note.sent_at = config.clock.seconds();
  note.windows = in.windows;
  const auto proxy = proxy_index(in.model->fleet, in.proxy);
  if (in.windows.empty() || !proxy) return out;

  const auto& model = *in.model;
  const auto around = model.neighbourhoods
                          ? model.neighbourhoods
                          : std::make_shared<const domain::neighbourhoods>(model.fleet);
  const auto cut = domain::cut_around(model.fleet, model.counting, *proxy, *around);
  const auto counting = domain::count_communications(cut.part);
  const auto horizon = *cut.part.horizon;
  auto before = domain::detect(cut.part, counting, domain::requested_schedule(cut.part), horizon);
  keep_windows_of(before, cut.proxy);
  const auto plan = domain::adjust(cut.part, counting, before);

  std::vector<distribution_api::move_record> moves;
  for (const auto& m : plan.moved) {
    const index_t original = cut.original_jobs[m.job];
    moves.push_back(
        {in.model->fleet.jobs[original].id, m.from, m.to, in.model->job_versions[original]});
  }
  if (config.mode == detector_mode::warn) {
    note.suggested_moves = std::move(moves);
    return out;
  }
  if (!moves.empty())
    out.adjustment =
        distribution_api::adjustment_record{config.detector_id, in.proxy, std::move(moves)};
  auto after = domain::detect(cut.part, counting, plan.starts, horizon);
  keep_windows_of(after, cut.proxy);
  note.windows = window_records(cut.part, after.windows);
  return out;
}

adjuster_actor::behavior_type adjuster(self_pointer self, adjuster_config config,
                                       notifier_actor notifier) {
  self->state.config = std::move(config);
  self->state.notifier = std::move(notifier);
  return {
      [=](const proxy_windows& windows) {
        auto& st = self->state;
        auto out = plan_for(st.config, windows);
        ++st.plans;
        if (out.adjustment) self->send(st.notifier, std::move(*out.adjustment));
        // The first word on a proxy always goes out, empty or not: the notifier knows
        // from its outbox whether an earlier run warned about it and it must be cleared.
        auto last = st.sent.find(windows.proxy);
        if (last != st.sent.end() && same_news(last->second, out.notification)) return;
        st.sent[windows.proxy] = out.notification;
        self->send(st.notifier, std::move(out.notification));
      },
  };
}

domain::expected<adjuster_config> validate(adjuster_config config) {
  if (config.detector_id.empty()) return domain::error{"detector.id", "must not be empty"};
  if (!config.clock) return domain::error{"clock", "no wall clock given"};
  return config;
}

caf::expected<adjuster_actor> spawn_adjuster(caf::actor_system& system, adjuster_config config,
                                             notifier_actor notifier) {
  auto valid = validate(std::move(config));
  if (!valid) return invalid_config("adjuster: " + valid.failure().message());
  if (!notifier) return invalid_config("adjuster: no notifier");
  return system.spawn(adjuster, std::move(*valid), std::move(notifier));
}

}  // namespace headroom::detector
