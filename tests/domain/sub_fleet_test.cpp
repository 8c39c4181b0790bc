// The cut around some proxies keeps every load it promises exact: on random fleets, the
// load of each kept proxy in the cut equals its load in the whole fleet, whether one proxy
// or several are chosen. Independent groups share no proxy, and planning every group of
// the proxies with windows on its own cut places each job where the whole fleet's plan does.
#define BOOST_TEST_MODULE domain_sub_fleet
#include "domain/sub_fleet.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "domain/adjuster.hpp"
#include "domain/detection.hpp"
#include "tests/support/random_fleet.hpp"

namespace headroom::domain {
namespace {

index_t original_proxy(const fleet& f, const std::string& id) {
  index_t original = 0;
  while (f.proxies[original].id != id) ++original;
  return original;
}

/// Every kept proxy of `cut` carries its load in the whole fleet; answers how many compared.
int compare_loads(const fleet& f, const load_profile& whole, const sub_fleet& cut, interval horizon,
                  const std::string& what) {
  BOOST_TEST(!validate(cut.part).has_value(), what);
  const auto part_counting = count_communications(cut.part);
  const auto part =
      build_load_profile(cut.part, part_counting, requested_schedule(cut.part), horizon);
  for (index_t k = 0; k < cut.part.proxies.size(); ++k) {
    const index_t original = original_proxy(f, cut.part.proxies[k].id);
    BOOST_TEST(part.proxies[k] == whole.proxies[original],
               what << ", proxy " << f.proxies[original].id);
  }
  for (std::size_t j = 0; j < cut.original_jobs.size(); ++j)
    BOOST_TEST(cut.part.jobs[j].id == f.jobs[cut.original_jobs[j]].id);
  return static_cast<int>(cut.part.proxies.size());
}

/// The moves of a plan as (job id, from, to), comparable across fleets.
using move_set = std::set<std::tuple<std::string, instant, instant>>;

/// Some of the fleet's proxies, each kept unless rng() % one_in is 0, in a random order.
std::vector<index_t> some_proxies(const fleet& f, std::mt19937_64& rng, std::uint64_t one_in) {
  std::vector<index_t> chosen;
  for (index_t p = 0; p < f.proxies.size(); ++p)
    if (rng() % one_in != 0) chosen.push_back(p);
  std::shuffle(chosen.begin(), chosen.end(), rng);
  return chosen;
}

BOOST_AUTO_TEST_CASE(every_kept_proxy_carries_its_whole_load) {
  std::mt19937_64 rng(21);
  int compared = 0;
  for (int i = 0; i < 100; ++i) {
    const auto f = test::random_fleet(rng, 2 * 86400, i % 2 == 0);
    const auto c = count_communications(f);
    const auto horizon = effective_horizon(f);
    const auto whole = build_load_profile(f, c, requested_schedule(f), horizon);
    const neighbourhoods around(f);
    const auto fleet_name = "fleet " + std::to_string(i);
    for (index_t p = 0; p < f.proxies.size(); ++p) {
      const auto cut = cut_around(f, c, std::span(&p, 1), around);
      BOOST_TEST_REQUIRE(cut.chosen == 1u);
      BOOST_TEST_REQUIRE(cut.part.proxies[0].id == f.proxies[p].id);
      compared += compare_loads(f, whole, cut, horizon, fleet_name + ", around " + f.proxies[p].id);
    }
    // Several proxies at once, in any order: they come first in the cut, as given.
    const auto chosen = some_proxies(f, rng, 2);
    const auto cut = cut_around(f, c, chosen, around);
    BOOST_TEST_REQUIRE(cut.chosen == chosen.size());
    for (index_t k = 0; k < cut.chosen; ++k)
      BOOST_TEST(cut.part.proxies[k].id == f.proxies[chosen[k]].id);
    compared += compare_loads(f, whole, cut, horizon, fleet_name + ", around several");
  }
  BOOST_TEST(compared > 100);
}

BOOST_AUTO_TEST_CASE(neighbourhoods_with_appended_jobs_equal_those_made_anew) {
  std::mt19937_64 rng(22);
  for (int i = 0; i < 50; ++i) {
    auto f = test::random_fleet(rng, 2 * 86400, i % 2 == 0);
    const neighbourhoods before(f);
    if (f.devices.empty()) continue;
    for (int k = 0; k < 3; ++k) {
      auto added = f.jobs.empty() ? job{} : f.jobs.front();
      added.id = "added-" + std::to_string(k);
      added.device = static_cast<index_t>(rng() % f.devices.size());
      f.jobs.push_back(added);
    }
    const auto updated = before.with_jobs_of(f);
    const neighbourhoods anew(f);
    for (index_t d = 0; d < f.devices.size(); ++d) {
      BOOST_TEST(std::ranges::equal(updated.jobs_of(d), anew.jobs_of(d)), "fleet " << i);
      BOOST_TEST(std::ranges::equal(updated.services_of(d), anew.services_of(d)));
    }
    for (index_t p = 0; p < f.proxies.size(); ++p)
      BOOST_TEST(std::ranges::equal(updated.devices_behind(p), anew.devices_behind(p)));
  }
}

BOOST_AUTO_TEST_CASE(independent_groups_share_no_proxy_of_their_cuts) {
  std::mt19937_64 rng(23);
  int split = 0;
  for (int i = 0; i < 100; ++i) {
    const auto f = test::random_fleet(rng, 2 * 86400, i % 2 == 0);
    const auto c = count_communications(f);
    const neighbourhoods around(f);
    auto chosen = some_proxies(f, rng, 3);
    const auto groups = independent_groups(f, chosen, around);
    std::sort(chosen.begin(), chosen.end());
    std::vector<index_t> members;
    std::map<std::string, std::size_t> group_of_kept;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      BOOST_TEST(std::is_sorted(groups[g].begin(), groups[g].end()));
      members.insert(members.end(), groups[g].begin(), groups[g].end());
      for (const auto& kept : cut_around(f, c, groups[g], around).part.proxies) {
        const auto [it, added] = group_of_kept.try_emplace(kept.id, g);
        BOOST_TEST(it->second == g, "fleet " << i << ": " << kept.id << " in two groups' cuts");
      }
    }
    std::sort(members.begin(), members.end());
    BOOST_TEST(members == chosen, "fleet " << i << ": the groups are not the chosen proxies");
    // Each group is one: its proxies' own cuts link all of them through shared proxies.
    for (const auto& group : groups) {
      if (group.size() < 2) continue;
      ++split;
      std::vector<std::set<std::string>> kept(group.size());
      for (std::size_t k = 0; k < group.size(); ++k)
        for (const auto& p : cut_around(f, c, std::span(&group[k], 1), around).part.proxies)
          kept[k].insert(p.id);
      std::vector<std::uint8_t> reached(group.size(), 0);
      std::vector<std::size_t> next{0};
      reached[0] = 1;
      while (!next.empty()) {
        const auto k = next.back();
        next.pop_back();
        for (std::size_t m = 0; m < group.size(); ++m)
          if (!reached[m] && std::any_of(kept[m].begin(), kept[m].end(),
                                         [&](const auto& id) { return kept[k].contains(id); })) {
            reached[m] = 1;
            next.push_back(m);
          }
      }
      BOOST_TEST(std::all_of(reached.begin(), reached.end(), [](auto r) { return r != 0; }),
                 "fleet " << i << ": a group whose cuts do not link");
    }
  }
  BOOST_TEST(split > 10);
}

/// A random fleet with its requested schedule's windows and the proxies that have some.
struct overloaded_fleet {
  explicit overloaded_fleet(std::mt19937_64& rng)
      : f(test::random_fleet(rng, 2 * 86400, true)),
        c(count_communications(f)),
        horizon(effective_horizon(f)),
        before(detect(f, c, requested_schedule(f), horizon)),
        chosen(with_windows(before)),
        around(f) {}

  static std::vector<index_t> with_windows(const detection& d) {
    std::set<index_t> overloaded;
    for (const auto& w : d.windows) overloaded.insert(w.proxy);
    return {overloaded.begin(), overloaded.end()};
  }

  fleet f;
  counting c;
  interval horizon;
  detection before;
  std::vector<index_t> chosen;
  neighbourhoods around;
};

BOOST_AUTO_TEST_CASE(planning_each_group_on_its_cut_is_the_whole_fleets_plan) {
  std::mt19937_64 rng(24);
  int planned = 0;
  for (int i = 0; i < 60; ++i) {
    const overloaded_fleet o(rng);
    const auto& [f, c, horizon, before, chosen, around] = o;
    for (auto order : {placement_order::requested, placement_order::tightest_first,
                       placement_order::shortest_first}) {
      move_set whole;
      std::set<std::string> whole_unschedulable;
      const auto plan = place_in_order(f, c, before, order);
      for (const auto& m : plan.moved) whole.emplace(f.jobs[m.job].id, m.from, m.to);
      for (const auto& u : plan.unschedulable) whole_unschedulable.insert(f.jobs[u.job].id);
      move_set parts;
      std::set<std::string> parts_unschedulable;
      for (const auto& group : independent_groups(f, chosen, around)) {
        const auto cut = cut_around(f, c, group, around);
        const auto part_counting = count_communications(cut.part);
        auto part_before = detect(cut.part, part_counting, requested_schedule(cut.part), horizon);
        std::erase_if(part_before.windows,
                      [&](const overload_window& w) { return w.proxy >= cut.chosen; });
        const auto part = place_in_order(cut.part, part_counting, part_before, order);
        for (const auto& m : part.moved) parts.emplace(cut.part.jobs[m.job].id, m.from, m.to);
        for (const auto& u : part.unschedulable)
          parts_unschedulable.insert(cut.part.jobs[u.job].id);
      }
      BOOST_TEST((parts == whole), "fleet " << i << ", order " << to_string(order));
      BOOST_TEST((parts_unschedulable == whole_unschedulable),
                 "fleet " << i << ", order " << to_string(order));
      planned += !whole.empty();
    }
  }
  BOOST_TEST(planned > 30);
}

// The detector's plans made apart (actors/detector/adjuster.cpp) plan each member of a
// group on the group's cut with only its own windows, in place of its own cut.
BOOST_AUTO_TEST_CASE(a_proxys_plan_on_a_groups_cut_with_only_its_windows_is_its_plan_alone) {
  std::mt19937_64 rng(25);
  int compared = 0;
  for (int i = 0; i < 240; ++i) {
    const overloaded_fleet o(rng);
    const auto& [f, c, horizon, before, chosen, around] = o;
    // The plan of the cut's chosen proxy k, with only its windows, as comparable moves
    // (it reads `o`: clang refuses to capture a structured binding).
    const auto plan_of = [&](const sub_fleet& cut, index_t k) {
      const auto counted = count_communications(cut.part);
      auto windows = detect(cut.part, counted, requested_schedule(cut.part), o.horizon);
      std::erase_if(windows.windows, [&](const overload_window& w) { return w.proxy != k; });
      const auto plan = adjust(cut.part, counted, windows);
      move_set out;
      for (const auto& m : plan.moved) out.emplace(cut.part.jobs[m.job].id, m.from, m.to);
      for (const auto& u : plan.unschedulable)
        out.emplace(cut.part.jobs[u.job].id, cut.part.jobs[u.job].start, unscheduled);
      return out;
    };
    for (const auto& group : independent_groups(f, chosen, around)) {
      if (group.size() < 2) continue;
      const auto cut = cut_around(f, c, group, around);
      for (index_t k = 0; k < group.size(); ++k) {
        const auto alone = cut_around(f, c, std::span(&group[k], 1), around);
        BOOST_TEST((plan_of(cut, k) == plan_of(alone, 0)),
                   "fleet " << i << ", proxy " << f.proxies[group[k]].id);
        ++compared;
      }
    }
  }
  BOOST_TEST(compared > 30);
}

}  // namespace
}  // namespace headroom::domain
