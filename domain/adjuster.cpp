#include "domain/adjuster.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "domain/load_tree.hpp"
#include "domain/maintenance.hpp"

namespace headroom::domain {
namespace {

constexpr instant no_limit = std::numeric_limits<instant>::max();

/// What every placement order shares: the load that stays, and the windows.
struct placement_context {
  const fleet& f;
  interval horizon;
  std::vector<index_t> movable;
  load_profile fixed;                              ///< Without the movable jobs.
  std::vector<std::vector<interval>> maintenance;  ///< By customer; only those with movable jobs.

  placement_context(const fleet& fl, const counting& c, const detection& before)
      : f(fl), horizon(before.profile.horizon), movable(movable_jobs(before)) {
    schedule without = requested_schedule(f);
    for (index_t j : movable) without[j] = unscheduled;
    fixed = build_load_profile(f, c, without, horizon);
    maintenance.resize(f.customers.size());
    std::vector<std::uint8_t> needed(f.customers.size(), 0);
    for (index_t j : movable) needed[f.devices[f.jobs[j].device].customer] = 1;
    for (index_t k = 0; k < f.customers.size(); ++k)
      if (needed[k]) maintenance[k] = maintenance_occurrences(f.customers[k], horizon);
  }

  [[nodiscard]] instant latest_end(const job& j) const {
    return std::min(horizon.end, j.deadline.value_or(no_limit));
  }
};

/// The proxies' loads while jobs are being placed, and the placement search.
class placer {
 public:
  explicit placer(const placement_context& ctx) : ctx_(ctx), tree_of_(ctx.f.proxies.size(), none) {
    for (index_t j : ctx.movable)
      for (index_t p : ctx.f.devices[ctx.f.jobs[j].device].path)
        if (tree_of_[p] == none) {
          tree_of_[p] = static_cast<index_t>(trees_.size());
          trees_.emplace_back(ctx.horizon, ctx.fixed.proxies[p]);
        }
  }

  /// The earliest start at or after `from` that keeps every rule, if any.
  [[nodiscard]] std::optional<instant> earliest(index_t j, instant from) const {
    const job& jb = ctx_.f.jobs[j];
    const instant limit = ctx_.latest_end(jb);
    if (from == jb.start) {
      if (jb.start + jb.duration_s > limit) return std::nullopt;
      if (room_throughout(j, jb.start)) return jb.start;
      from = jb.start + 1;
    }
    from = std::max(from, ctx_.horizon.start);
    const auto& windows = ctx_.maintenance[ctx_.f.devices[jb.device].customer];
    if (ctx_.f.customers[ctx_.f.devices[jb.device].customer].maintenance_windows.empty())
      return earliest_with_room(j, from, limit - jb.duration_s);
    auto w = std::upper_bound(windows.begin(), windows.end(), from,
                              [](instant t, const interval& i) { return t < i.end; });
    for (; w != windows.end() && w->start + jb.duration_s <= limit; ++w) {
      const instant last_start = std::min(w->end, limit) - jb.duration_s;
      if (auto s = earliest_with_room(j, std::max(from, w->start), last_start)) return s;
    }
    return std::nullopt;
  }

  void occupy(index_t j, instant start, std::int32_t delta) {
    const interval span{start, start + ctx_.f.jobs[j].duration_s};
    for (index_t p : path(j)) trees_[tree_of_[p]].add(span, delta);
  }

  [[nodiscard]] std::string why_not(index_t j) const {
    const job& jb = ctx_.f.jobs[j];
    const instant limit = ctx_.latest_end(jb);
    const bool deadline_binds = jb.deadline && *jb.deadline <= ctx_.horizon.end;
    const std::string end_name =
        deadline_binds ? "its deadline " + format_utc(limit) : "the horizon's end " + format_utc(limit);
    if (jb.start + jb.duration_s > limit) return "cannot end by " + end_name + " even at its requested start";
    const customer& c = ctx_.f.customers[ctx_.f.devices[jb.device].customer];
    std::string where = "between its requested start and " + end_name;
    if (!c.maintenance_windows.empty()) {
      const std::string windows = "maintenance window of customer " + c.id + " (" + c.time_zone + ")";
      if (!window_fits(j)) return "no " + windows + " " + where + " is long enough for its " +
                                  std::to_string(jb.duration_s) + " s";
      where += " inside a " + windows;
    }
    std::string proxies;
    for (index_t p : path(j)) proxies += (proxies.empty() ? "" : ", ") + ctx_.f.proxies[p].id;
    return "no start " + where + " keeps " + proxies + " under threshold";
  }

 private:
  static constexpr index_t none = std::numeric_limits<index_t>::max();

  [[nodiscard]] const std::vector<index_t>& path(index_t j) const {
    return ctx_.f.devices[ctx_.f.jobs[j].device].path;
  }

  /// A placed job adds one device; the room is conservative where the device is
  /// already active (its own service), which never breaks a threshold.
  [[nodiscard]] std::int32_t room_level(index_t p) const { return ctx_.f.proxies[p].threshold - 1; }

  /// Whether some maintenance window after the requested start could hold the job.
  [[nodiscard]] bool window_fits(index_t j) const {
    const job& jb = ctx_.f.jobs[j];
    const instant limit = ctx_.latest_end(jb);
    for (const interval& w : ctx_.maintenance[ctx_.f.devices[jb.device].customer])
      if (std::min(w.end, limit) - std::max(w.start, jb.start + 1) >= jb.duration_s) return true;
    return false;
  }

  [[nodiscard]] bool room_throughout(index_t j, instant start) const {
    const interval span{start, start + ctx_.f.jobs[j].duration_s};
    for (index_t p : path(j))
      if (trees_[tree_of_[p]].max_over(span) > room_level(p)) return false;
    return true;
  }

  /// The earliest start in [from, last_start] where every proxy of the path has room
  /// for the whole duration: jump over each blocked stretch to where all have room.
  [[nodiscard]] std::optional<instant> earliest_with_room(index_t j, instant from, instant last_start) const {
    const std::int64_t duration = ctx_.f.jobs[j].duration_s;
    instant s = from;
    while (s <= last_start) {
      for (bool moved = true; moved && s <= last_start;) {
        moved = false;
        for (index_t p : path(j)) {
          const instant free_from = trees_[tree_of_[p]].first_at_most(s, room_level(p));
          if (free_from > s) {
            s = free_from;
            moved = true;
          }
        }
      }
      if (s > last_start) break;
      instant blocked = no_limit;
      for (index_t p : path(j)) blocked = std::min(blocked, trees_[tree_of_[p]].first_above(s, room_level(p)));
      if (blocked >= s + duration) return s;
      s = blocked;
    }
    return std::nullopt;
  }

  const placement_context& ctx_;
  std::vector<index_t> tree_of_;
  std::vector<load_tree> trees_;
};

std::vector<index_t> ordered(const placement_context& ctx, placement_order order) {
  std::vector<index_t> jobs = ctx.movable;
  const auto& all = ctx.f.jobs;
  auto latest_start = [&](index_t j) { return ctx.latest_end(all[j]) - all[j].duration_s; };
  std::sort(jobs.begin(), jobs.end(), [&](index_t a, index_t b) {
    const job& x = all[a];
    const job& y = all[b];
    if (x.priority != y.priority) return x.priority > y.priority;
    if (order == placement_order::tightest_first && latest_start(a) != latest_start(b))
      return latest_start(a) < latest_start(b);
    if (order == placement_order::shortest_first && x.duration_s != y.duration_s)
      return x.duration_s < y.duration_s;
    if (x.start != y.start) return x.start < y.start;
    return x.id < y.id;
  });
  return jobs;
}

/// Places in order, then lets each placed job move earlier into room that jobs
/// placed after it left, and gives the unplaced ones a second chance.
schedule place(const placement_context& ctx, placement_order order, bool compact) {
  schedule starts = requested_schedule(ctx.f);
  placer loads(ctx);
  const auto jobs = ordered(ctx, order);
  for (index_t j : jobs) {
    const auto start = loads.earliest(j, ctx.f.jobs[j].start);
    starts[j] = start.value_or(unscheduled);
    if (start) loads.occupy(j, *start, 1);
  }
  if (!compact) return starts;
  for (index_t j : jobs) {
    const instant requested = ctx.f.jobs[j].start;
    if (starts[j] == requested) continue;
    if (starts[j] != unscheduled) loads.occupy(j, starts[j], -1);
    const auto start = loads.earliest(j, requested);
    if (start && (starts[j] == unscheduled || *start < starts[j])) starts[j] = *start;
    if (starts[j] != unscheduled) loads.occupy(j, starts[j], 1);
  }
  return starts;
}

/// Each movable job's earliest start against the load that stays, alone.
std::vector<std::optional<instant>> alone_starts(const placement_context& ctx, const placer& alone) {
  std::vector<std::optional<instant>> out;
  out.reserve(ctx.movable.size());
  for (index_t j : ctx.movable) out.push_back(alone.earliest(j, ctx.f.jobs[j].start));
  return out;
}

adjustment_plan summarise(const placement_context& ctx, const placer& alone,
                          const std::vector<std::optional<instant>>& alone_best, schedule starts,
                          placement_order order) {
  adjustment_plan plan;
  plan.order = order;
  plan.movable = ctx.movable;
  for (std::size_t k = 0; k < ctx.movable.size(); ++k) {
    const index_t j = ctx.movable[k];
    const job& jb = ctx.f.jobs[j];
    if (starts[j] == unscheduled) {
      plan.unschedulable.push_back({j, alone.why_not(j)});
      continue;
    }
    if (starts[j] != jb.start) plan.moved.push_back({j, jb.start, starts[j]});
    plan.total_displacement_s += starts[j] - jb.start;
    if (alone_best[k]) plan.displacement_lower_bound_s += *alone_best[k] - jb.start;
  }
  plan.starts = std::move(starts);
  return plan;
}

bool better(const adjustment_plan& a, const adjustment_plan& b) {
  if (a.unschedulable.size() != b.unschedulable.size()) return a.unschedulable.size() < b.unschedulable.size();
  return a.total_displacement_s < b.total_displacement_s;
}

}  // namespace

const char* to_string(placement_order order) {
  switch (order) {
    case placement_order::requested: return "requested";
    case placement_order::tightest_first: return "tightest_first";
    case placement_order::shortest_first: return "shortest_first";
  }
  return "unknown";
}

std::vector<index_t> movable_jobs(const detection& before) {
  std::vector<index_t> out;
  for (const auto& w : before.windows) out.insert(out.end(), w.jobs.begin(), w.jobs.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

adjustment_plan place_in_order(const fleet& f, const counting& c, const detection& before,
                               placement_order order) {
  const placement_context ctx(f, c, before);
  const placer alone(ctx);
  return summarise(ctx, alone, alone_starts(ctx, alone), place(ctx, order, false), order);
}

adjustment_plan adjust(const fleet& f, const counting& c, const detection& before) {
  const placement_context ctx(f, c, before);
  const placer alone(ctx);
  const auto alone_best = alone_starts(ctx, alone);
  std::optional<adjustment_plan> best;
  for (auto order : {placement_order::requested, placement_order::tightest_first,
                     placement_order::shortest_first}) {
    auto plan = summarise(ctx, alone, alone_best, place(ctx, order, true), order);
    if (!best || better(plan, *best)) best = std::move(plan);
  }
  return std::move(*best);
}

}  // namespace headroom::domain
