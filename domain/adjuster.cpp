#include "domain/adjuster.hpp"

#include <algorithm>
#include <future>
#include <limits>
#include <optional>

#include "domain/load_tree.hpp"
#include "domain/maintenance.hpp"
#include "domain/placement_memo.hpp"

namespace headroom::domain {
namespace {

constexpr instant no_limit = std::numeric_limits<instant>::max();
/// How many movable jobs make the placement orders worth a thread each.
constexpr std::size_t parallel_from = 2000;

/// What every placement order shares: the load that stays, and the windows.
struct placement_context {
  const fleet& f;
  interval horizon;
  std::vector<index_t> movable;
  load_profile fixed;                              ///< Without the movable jobs.
  std::vector<std::vector<interval>> maintenance;  ///< By customer; only those with movable jobs.

  placement_context(const fleet& fl, const counting& c, const detection& before,
                    const load_profile* requested)
      : f(fl), horizon(before.profile.horizon), movable(movable_jobs(before)) {
    if (requested != nullptr && requested->horizon == horizon &&
        requested->proxies.size() == f.proxies.size()) {
      fixed = without_jobs(f, c, requested_schedule(f), *requested, movable);
    } else {
      schedule without = requested_schedule(f);
      for (index_t j : movable) without[j] = unscheduled;
      fixed = build_load_profile(f, c, without, horizon);
    }
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

/// Whether some maintenance window after the requested start could hold the job.
bool window_fits(const placement_context& ctx, index_t j) {
  const job& jb = ctx.f.jobs[j];
  const instant limit = ctx.latest_end(jb);
  for (const interval& w : ctx.maintenance[ctx.f.devices[jb.device].customer])
    if (std::min(w.end, limit) - std::max(w.start, jb.start + 1) >= jb.duration_s) return true;
  return false;
}

/// Why a job found no start: its deadline, its customer's windows, or its proxies' load.
std::string why_unschedulable(const placement_context& ctx, index_t j) {
  const job& jb = ctx.f.jobs[j];
  const instant limit = ctx.latest_end(jb);
  const bool deadline_binds = jb.deadline && *jb.deadline <= ctx.horizon.end;
  const std::string end_name = deadline_binds ? "its deadline " + format_utc(limit)
                                              : "the horizon's end " + format_utc(limit);
  if (jb.start + jb.duration_s > limit)
    return "cannot end by " + end_name + " even at its requested start";
  const device& d = ctx.f.devices[jb.device];
  const customer& c = ctx.f.customers[d.customer];
  std::string where = "between its requested start and " + end_name;
  if (!c.maintenance_windows.empty()) {
    const std::string windows = "maintenance window of customer " + c.id + " (" + c.time_zone + ")";
    if (!window_fits(ctx, j))
      return "no " + windows + " " + where + " is long enough for its " +
             std::to_string(jb.duration_s) + " s";
    where += " inside a " + windows;
  }
  std::string proxies;
  for (index_t p : d.path) proxies += (proxies.empty() ? "" : ", ") + ctx.f.proxies[p].id;
  return "no start " + where + " keeps " + proxies + " under threshold";
}

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
      const bool ruled_out = memo_.skip_to(path(j), jb.start, jb.duration_s) > jb.start;
      if (!ruled_out && room_throughout(j, jb.start)) return jb.start;
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

  /// Adds the job's device to every proxy of its path; load is only ever added,
  /// which is what keeps the memo's facts true.
  void occupy(index_t j, instant start) {
    const interval span{start, start + ctx_.f.jobs[j].duration_s};
    for (index_t p : path(j)) trees_[tree_of_[p]].add(span, 1);
  }

 private:
  static constexpr index_t none = std::numeric_limits<index_t>::max();

  [[nodiscard]] const std::vector<index_t>& path(index_t j) const {
    return ctx_.f.devices[ctx_.f.jobs[j].device].path;
  }

  /// A placed job adds one device; the room is conservative where the device is
  /// already active (its own service), which never breaks a threshold.
  [[nodiscard]] std::int32_t room_level(index_t p) const { return ctx_.f.proxies[p].threshold - 1; }

  [[nodiscard]] bool room_throughout(index_t j, instant start) const {
    const interval span{start, start + ctx_.f.jobs[j].duration_s};
    for (index_t p : path(j))
      if (trees_[tree_of_[p]].max_over(span) > room_level(p)) return false;
    return true;
  }

  /// The earliest start in [from, last_start] where every proxy of the path has room
  /// for the whole duration: jump over each blocked stretch to where all have room,
  /// skipping what earlier searches from the same place already ruled out.
  [[nodiscard]] std::optional<instant> earliest_with_room(index_t j, instant from,
                                                          instant last_start) const {
    const std::int64_t duration = ctx_.f.jobs[j].duration_s;
    const auto found = scan_for_room(j, memo_.skip_to(path(j), from, duration), last_start);
    memo_.learn(path(j), from, duration, found.value_or(last_start + 1));
    return found;
  }

  [[nodiscard]] std::optional<instant> scan_for_room(index_t j, instant s,
                                                     instant last_start) const {
    const std::int64_t duration = ctx_.f.jobs[j].duration_s;
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
      for (index_t p : path(j))
        blocked = std::min(blocked, trees_[tree_of_[p]].first_above(s, room_level(p)));
      if (blocked >= s + duration) return s;
      s = blocked;
    }
    return std::nullopt;
  }

  const placement_context& ctx_;
  std::vector<index_t> tree_of_;
  std::vector<load_tree> trees_;
  mutable placement_memo memo_;  // a cache of what searches learned, not state
};

std::vector<index_t> ordered(const placement_context& ctx, placement_order order) {
  std::vector<index_t> jobs = ctx.movable;
  const auto& all = ctx.f.jobs;
  // Jobs without a deadline come after those with one: they can always wait.
  auto latest_start = [&](index_t j) {
    return all[j].deadline ? *all[j].deadline - all[j].duration_s
                           : std::numeric_limits<instant>::max();
  };
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

/// Places the movable jobs in order, each at its earliest feasible start, into `loads`
/// (the load that stays, untouched by any placement yet).
schedule place(const placement_context& ctx, const std::vector<index_t>& jobs, placer loads) {
  schedule starts = requested_schedule(ctx.f);
  for (index_t j : jobs) {
    const auto start = loads.earliest(j, ctx.f.jobs[j].start);
    starts[j] = start.value_or(unscheduled);
    if (start) loads.occupy(j, *start);
  }
  return starts;
}

/// A lower bound on the total displacement of the placed movable jobs. Group them by
/// the nearest proxy of their path; there, at most r of them run at once (r: the most
/// room the load that stays ever leaves), and each runs at least d (the shortest).
/// Jobs started within x seconds of u then number at most r (x + d) / d, so the i-th
/// earliest start is at least s(k) + ((i - k + 1) / r - 1) d for every k <= i, where
/// s(k) is the k-th earliest requested start, and at least s(i) itself.
std::int64_t displacement_lower_bound(const placement_context& ctx, const schedule& starts) {
  std::vector<std::vector<index_t>> by_proxy(ctx.f.proxies.size());
  for (index_t j : ctx.movable)
    if (starts[j] != unscheduled)
      by_proxy[ctx.f.devices[ctx.f.jobs[j].device].path.front()].push_back(j);
  double total = 0;
  std::vector<instant> requested;
  for (index_t p = 0; p < by_proxy.size(); ++p) {
    if (by_proxy[p].empty()) continue;
    requested.clear();
    std::int64_t shortest = std::numeric_limits<std::int64_t>::max();
    for (index_t j : by_proxy[p]) {
      requested.push_back(ctx.f.jobs[j].start);
      shortest = std::min(shortest, ctx.f.jobs[j].duration_s);
    }
    std::sort(requested.begin(), requested.end());
    std::int32_t least_load = std::numeric_limits<std::int32_t>::max();
    const auto& fixed = ctx.fixed.proxies[p];
    for (std::size_t k = 0; k < fixed.size(); ++k)
      if (k + 1 == fixed.size() || fixed[k + 1].at > requested.front())
        least_load = std::min(least_load, fixed[k].load);
    const double room = ctx.f.proxies[p].threshold - least_load;
    if (room <= 0) continue;
    const double per_job = static_cast<double>(shortest) / room;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < requested.size(); ++i) {
      const auto s = static_cast<double>(requested[i]);
      best = std::max(best, s - static_cast<double>(i) * per_job);
      total += std::max(
          0.0, best + static_cast<double>(i + 1) * per_job - static_cast<double>(shortest) - s);
    }
  }
  // Rounded down, and a second per million below, so that float error cannot overstate it.
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(total * (1 - 1e-6)) - 1);
}

adjustment_plan summarise(const placement_context& ctx, schedule starts, placement_order order) {
  adjustment_plan plan;
  plan.order = order;
  plan.movable = ctx.movable;
  for (index_t j : ctx.movable) {
    const job& jb = ctx.f.jobs[j];
    if (starts[j] == unscheduled) {
      plan.unschedulable.push_back({j, why_unschedulable(ctx, j)});
      continue;
    }
    if (starts[j] != jb.start) plan.moved.push_back({j, jb.start, starts[j]});
    plan.total_displacement_s += starts[j] - jb.start;
  }
  plan.displacement_lower_bound_s = displacement_lower_bound(ctx, starts);
  plan.starts = std::move(starts);
  return plan;
}

}  // namespace

const char* to_string(placement_order order) {
  switch (order) {
    case placement_order::requested:
      return "requested";
    case placement_order::tightest_first:
      return "tightest_first";
    case placement_order::shortest_first:
      return "shortest_first";
  }
  return "unknown";
}

bool better(const adjustment_plan& a, const adjustment_plan& b) {
  if (a.unschedulable.size() != b.unschedulable.size())
    return a.unschedulable.size() < b.unschedulable.size();
  return a.total_displacement_s < b.total_displacement_s;
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
  const placement_context ctx(f, c, before, nullptr);
  return summarise(ctx, place(ctx, ordered(ctx, order), placer(ctx)), order);
}

adjustment_plan adjust(const fleet& f, const counting& c, const detection& before,
                       const load_profile* requested) {
  const placement_context ctx(f, c, before, requested);
  // The orders are independent: each places into its own trees, on its own thread.
  std::vector<std::pair<placement_order, std::vector<index_t>>> orders;
  for (auto order : {placement_order::requested, placement_order::tightest_first,
                     placement_order::shortest_first}) {
    auto jobs = ordered(ctx, order);
    const bool repeated =
        std::any_of(orders.begin(), orders.end(), [&](const auto& o) { return o.second == jobs; });
    if (!repeated) orders.emplace_back(order, std::move(jobs));
  }
  // The proxies' loads are built once and copied for each order: building them from the
  // load that stays cost more than placing the jobs of a proxy's windows.
  const placer loads(ctx);
  // A thread costs more than placing a few hundred jobs (a proxy's windows, planned by the
  // detector hundreds of times in a first detection): only large plans go in parallel.
  const auto policy =
      ctx.movable.size() >= parallel_from ? std::launch::async : std::launch::deferred;
  std::vector<std::future<schedule>> placed;
  for (const auto& [order, jobs] : orders)
    placed.push_back(
        std::async(policy, [&ctx, &jobs = jobs, &loads] { return place(ctx, jobs, loads); }));
  std::optional<adjustment_plan> best;
  for (std::size_t k = 0; k < orders.size(); ++k) {
    auto plan = summarise(ctx, placed[k].get(), orders[k].first);
    if (!best || better(plan, *best)) best = std::move(plan);
  }
  return std::move(*best);
}

}  // namespace headroom::domain
