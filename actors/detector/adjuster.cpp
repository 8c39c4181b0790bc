#include "actors/detector/adjuster.hpp"

#include <algorithm>
#include <caf/spawn_options.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "detector/detector_errors.hpp"
#include "detector/window_records.hpp"
#include "domain/adjuster.hpp"
#include "domain/sub_fleet.hpp"

namespace headroom::detector {
namespace {

using self_pointer = adjuster_actor::stateful_pointer<adjuster_state>;
using domain::index_t;

constexpr index_t none = std::numeric_limits<index_t>::max();

/// The batch's proxies that have windows, by index in the model's fleet, ascending, and
/// where each one's output is.
struct chosen_proxies {
  std::vector<index_t> proxies;
  std::unordered_map<index_t, std::size_t> output;
};

chosen_proxies with_windows(const domain::fleet& f, const windows_batch& batch) {
  std::unordered_map<std::string_view, std::size_t> wanted;
  for (std::size_t i = 0; i < batch.proxies.size(); ++i)
    if (!batch.proxies[i].windows.empty()) wanted.emplace(batch.proxies[i].proxy, i);
  chosen_proxies out;
  if (wanted.empty()) return out;
  for (index_t p = 0; p < f.proxies.size(); ++p)
    if (const auto it = wanted.find(f.proxies[p].id); it != wanted.end()) {
      out.proxies.push_back(p);
      out.output.emplace(p, it->second);
    }
  return out;
}

/// Keeps only the chosen proxies' windows, so that only their jobs are movable.
void keep_chosen_windows(domain::detection& d, index_t chosen) {
  std::erase_if(d.windows, [&](const domain::overload_window& w) { return w.proxy >= chosen; });
}

/// Which chosen proxy's adjustment carries each job's move: the nearest on the job's path
/// among those whose windows hold it, so that a chained device's job, in the windows of its
/// local and its regional proxy, is moved once.
std::vector<index_t> move_owners(const domain::fleet& part, const domain::detection& before) {
  std::vector<index_t> owner(part.jobs.size(), none);
  const auto rank = [&](index_t j, index_t p) {
    const auto& path = part.devices[part.jobs[j].device].path;
    return std::find(path.begin(), path.end(), p) - path.begin();
  };
  for (const auto& w : before.windows)
    for (index_t j : w.jobs)
      if (owner[j] == none || rank(j, w.proxy) < rank(j, owner[j])) owner[j] = w.proxy;
  return owner;
}

/// The chosen proxies' windows on a cut around them, with what planning them needs.
struct planning_cut {
  domain::sub_fleet cut;
  domain::counting counting;
  /// The chosen proxies' windows only, and every proxy's load at the requested starts.
  domain::detection before;

  planning_cut(const detector_model& model, const domain::neighbourhoods& around,
               std::span<const index_t> chosen)
      : cut(domain::cut_around(model.fleet, model.counting, chosen, around)),
        counting(domain::count_communications(cut.part)),
        before(domain::detect(cut.part, counting, domain::requested_schedule(cut.part),
                              *cut.part.horizon)) {
    keep_chosen_windows(before, cut.chosen);
  }
};

/// The windows of the cut's chosen proxy `k` only, with the horizon: what domain::adjust
/// reads of a detection.
domain::detection windows_of(const domain::detection& before, index_t k) {
  domain::detection out;
  out.profile.horizon = before.profile.horizon;
  for (const auto& w : before.windows)
    if (w.proxy == k) out.windows.push_back(w);
  return out;
}

/// The plans of the group's proxies made each apart, as one plan on the group's cut
/// `whole`, when together they keep claim 7's rules (none when two of them decide the
/// same job, or when their moves together crowd a proxy they share, which each counted as
/// its own room).
///
/// Each proxy's plan is made on the group's cut with only its own windows: the same plan
/// as on the cut around it alone. Its cut is part of the group's, both keep the whole
/// fleet's load on every proxy of the movable jobs' paths, and the placement reads only
/// the movable jobs, their customers' maintenance windows and those loads. Cutting,
/// counting and detecting again for each proxy cost twice the plans themselves.
std::optional<domain::adjustment_plan> plans_apart(const planning_cut& whole) {
  domain::adjustment_plan out;
  out.movable = domain::movable_jobs(whole.before);
  out.starts = domain::requested_schedule(whole.cut.part);
  std::vector<std::uint8_t> decided(whole.cut.part.jobs.size(), 0);
  const auto decide = [&](index_t j) { return std::exchange(decided[j], 1) == 0; };
  for (index_t k = 0; k < whole.cut.chosen; ++k) {
    const auto plan = domain::adjust(whole.cut.part, whole.counting, windows_of(whole.before, k),
                                     &whole.before.profile);
    for (const auto& m : plan.moved) {
      if (!decide(m.job)) return std::nullopt;
      out.starts[m.job] = m.to;
      out.moved.push_back(m);
      out.total_displacement_s += m.to - m.from;
    }
    for (const auto& u : plan.unschedulable) {
      if (!decide(u.job)) return std::nullopt;
      out.starts[u.job] = domain::unscheduled;
      out.unschedulable.push_back(u);
    }
  }
  const auto after =
      domain::detect(whole.cut.part, whole.counting, out.starts, *whole.cut.part.horizon);
  if (!domain::rule_violations(whole.cut.part, whole.before, out, after).empty())
    return std::nullopt;
  return out;
}

/// Plans one group of the chosen proxies together, on the cut around them, into their
/// outputs: `output[k]` is the output of the group's k-th proxy.
///
/// Why the group's plan is the whole fleet's on the jobs in these windows: the cut keeps
/// every chosen proxy, every proxy on the path of a device behind one, and every device
/// behind any of those, so each kept proxy's load is its load in the whole fleet (the
/// sub_fleet test). The movable jobs are those of the chosen proxies' windows, and their
/// paths are kept. The greedy reads, for each movable job, only the job itself, its
/// customer's maintenance windows and the loads of its path, and orders the jobs by
/// priority, deadline, duration, requested start and id, none of which the cut changes. So
/// when the chosen proxies are every proxy with windows (a model's first detection), each
/// order places every job where it places it on the whole fleet. The groups
/// (domain::independent_groups) share no proxy, so the whole fleet's placement in one order
/// is each group's placement in that order, and the best order is chosen per group by the
/// adjuster's own measure (domain::better). The proxies' plans made apart are kept instead
/// only when they keep the rules together and are better by that measure: never worse than
/// the whole fleet's plan.
void plan_group(const adjuster_config& config, const detector_model& model,
                const domain::neighbourhoods& around, const std::vector<index_t>& group,
                const std::vector<std::size_t>& output, std::vector<adjuster_output>& out) {
  const planning_cut whole(model, around, group);
  const auto& cut = whole.cut;
  const auto& before = whole.before;
  auto plan = domain::adjust(cut.part, whole.counting, before, &before.profile);
  if (group.size() > 1)
    if (auto apart = plans_apart(whole); apart && better(*apart, plan)) plan = std::move(*apart);

  const auto owner = move_owners(cut.part, before);
  std::vector<std::vector<distribution_api::move_record>> moves(cut.chosen);
  for (const auto& m : plan.moved) {
    const index_t original = cut.original_jobs[m.job];
    moves[owner[m.job]].push_back(
        {model.fleet.jobs[original].id, m.from, m.to, model.job_versions[original]});
  }
  if (config.mode == detector_mode::warn) {
    for (index_t k = 0; k < cut.chosen; ++k)
      out[output[k]].notification.suggested_moves = std::move(moves[k]);
    return;
  }
  // The windows the plan leaves: an unschedulable job is not moved, so it stays where it was.
  auto starts = plan.starts;
  for (const auto& u : plan.unschedulable) starts[u.job] = cut.part.jobs[u.job].start;
  const auto after = domain::detect(cut.part, whole.counting, starts, *cut.part.horizon);
  std::vector<std::vector<domain::overload_window>> left(cut.chosen);
  for (const auto& w : after.windows)
    if (w.proxy < cut.chosen) left[w.proxy].push_back(w);
  for (index_t k = 0; k < cut.chosen; ++k) {
    auto& o = out[output[k]];
    if (!moves[k].empty())
      o.adjustment = distribution_api::adjustment_record{config.detector_id, o.notification.proxy,
                                                         std::move(moves[k])};
    o.notification.windows = window_records(cut.part, left[k]);
  }
}

bool same_news(const distribution_api::notification_record& a,
               const distribution_api::notification_record& b) {
  return a.windows == b.windows && a.suggested_moves == b.suggested_moves;
}

}  // namespace

const char* to_string(detector_mode mode) { return common::spelling(detector_modes, mode).data(); }

void plan_each(const adjuster_config& config, const windows_batch& batch,
               const output_ready& ready) {
  std::vector<adjuster_output> out(batch.proxies.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& note = out[i].notification;
    note.detector = config.detector_id;
    note.proxy = batch.proxies[i].proxy;
    note.sent_at = config.clock.seconds();
    note.windows = batch.proxies[i].windows;
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    if (batch.proxies[i].windows.empty()) ready(i, std::move(out[i]));
  if (batch.proxies.empty()) return;
  const auto& model = *batch.proxies.front().model;
  const auto chosen = with_windows(model.fleet, batch);
  if (chosen.proxies.empty()) return;
  const auto around = model.neighbourhoods
                          ? model.neighbourhoods
                          : std::make_shared<const domain::neighbourhoods>(model.fleet);
  for (const auto& group : domain::independent_groups(model.fleet, chosen.proxies, *around)) {
    std::vector<std::size_t> output;
    output.reserve(group.size());
    for (index_t p : group) output.push_back(chosen.output.at(p));
    plan_group(config, model, *around, group, output, out);
    for (const auto i : output) ready(i, std::move(out[i]));
  }
}

std::vector<adjuster_output> plan_for(const adjuster_config& config, const windows_batch& batch) {
  std::vector<adjuster_output> out(batch.proxies.size());
  plan_each(config, batch, [&out](std::size_t i, adjuster_output&& o) { out[i] = std::move(o); });
  return out;
}

adjuster_actor::behavior_type adjuster(self_pointer self, adjuster_config config,
                                       notifier_actor notifier) {
  self->state.config = std::move(config);
  self->state.notifier = std::move(notifier);
  return {
      [=](const windows_batch& batch) {
        auto& st = self->state;
        ++st.plans;
        plan_each(st.config, batch, [self](std::size_t, adjuster_output&& out) {
          auto& st = self->state;
          const auto& proxy = out.notification.proxy;
          if (out.adjustment) self->send(st.notifier, std::move(*out.adjustment));
          // The first word on a proxy always goes out, empty or not: the notifier knows
          // from its outbox whether an earlier run warned about it and it must be cleared.
          auto last = st.sent.find(proxy);
          if (last != st.sent.end() && same_news(last->second, out.notification)) return;
          st.sent[proxy] = out.notification;
          self->send(st.notifier, std::move(out.notification));
        });
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
  if (valid->own_thread)
    return system.spawn<caf::detached>(adjuster, std::move(*valid), std::move(notifier));
  return system.spawn(adjuster, std::move(*valid), std::move(notifier));
}

}  // namespace headroom::detector
