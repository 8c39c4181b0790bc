#define BOOST_TEST_MODULE domain_load_tree
#include "domain/load_tree.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <random>

#include "tests/support/printing.hpp"

using namespace headroom::domain;

namespace {

/// The same questions answered by scanning a plain array, second by second.
struct reference {
  interval range;
  std::vector<std::int32_t> load;

  std::int32_t max_over(interval s) const {
    std::int32_t best = 0;
    bool any = false;
    for (instant t = std::max(s.start, range.start); t < std::min(s.end, range.end); ++t) {
      best = any ? std::max(best, load[t - range.start]) : load[t - range.start];
      any = true;
    }
    return best;
  }
  template <class Pred>
  instant first(instant from, Pred p) const {
    for (instant t = std::max(from, range.start); t < range.end; ++t)
      if (p(load[t - range.start])) return t;
    return range.end;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(starts_from_a_timeline) {
  const load_timeline steps{{100, 2}, {110, 5}, {150, 0}, {190, 7}};
  const load_tree tree({100, 200}, steps);
  BOOST_TEST(tree.at(100) == 2);
  BOOST_TEST(tree.at(109) == 2);
  BOOST_TEST(tree.at(110) == 5);
  BOOST_TEST(tree.at(199) == 7);
  BOOST_TEST(tree.max_over({100, 150}) == 5);
  BOOST_TEST(tree.max_over({150, 190}) == 0);
  BOOST_TEST(tree.first_above(100, 4) == 110);
  BOOST_TEST(tree.first_at_most(110, 4) == 150);
  BOOST_TEST(tree.first_above(150, 7) == 200);
}

BOOST_AUTO_TEST_CASE(answers_like_a_plain_array_after_random_updates) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 40; ++round) {
    const instant start = static_cast<instant>(rng() % 1000) - 500;
    const interval range{start, start + 1 + static_cast<instant>(rng() % 700)};
    load_timeline steps;
    reference ref{range, std::vector<std::int32_t>(static_cast<std::size_t>(range.length()), 0)};
    for (instant t = range.start; t < range.end;) {
      const auto value = static_cast<std::int32_t>(rng() % 6);
      const instant until = std::min<instant>(range.end, t + 1 + static_cast<instant>(rng() % 90));
      if (steps.empty() || steps.back().load != value) steps.push_back({t, value});
      for (instant k = t; k < until; ++k) ref.load[k - range.start] = value;
      t = until;
    }
    load_tree tree(range, steps);
    for (int op = 0; op < 300; ++op) {
      const instant a = range.start - 20 + static_cast<instant>(rng() % (range.length() + 40));
      const instant b = a + static_cast<instant>(rng() % 200);
      const auto level = static_cast<std::int32_t>(rng() % 8) - 1;
      switch (rng() % 4) {
        case 0: {
          const auto delta = static_cast<std::int32_t>(rng() % 5) - 2;
          tree.add({a, b}, delta);
          for (instant t = std::max(a, range.start); t < std::min(b, range.end); ++t)
            ref.load[t - range.start] += delta;
          break;
        }
        case 1:
          if (a < b && a < range.end && b > range.start)
            BOOST_REQUIRE_EQUAL(tree.max_over({a, b}), ref.max_over({a, b}));
          break;
        case 2:
          BOOST_REQUIRE_EQUAL(tree.first_above(a, level),
                              ref.first(a, [&](std::int32_t v) { return v > level; }));
          break;
        default:
          BOOST_REQUIRE_EQUAL(tree.first_at_most(a, level),
                              ref.first(a, [&](std::int32_t v) { return v <= level; }));
      }
    }
    for (instant t = range.start; t < range.end; ++t)
      BOOST_REQUIRE_EQUAL(tree.at(t), ref.load[t - range.start]);
  }
}

BOOST_AUTO_TEST_CASE(memory_grows_with_steps_not_seconds) {
  const interval year{0, 366 * seconds_per_day};
  load_tree tree(year, {{0, 1}});
  for (int k = 0; k < 1000; ++k) tree.add({k * 30'000, k * 30'000 + 600}, 1);
  BOOST_TEST(tree.node_count() < 100'000u);
  BOOST_TEST(tree.max_over(year) == 2);
  BOOST_TEST(tree.first_above(600, 1) == 30'000);
}
