#define BOOST_TEST_MODULE domain_job_index
#include "domain/job_index.hpp"

#include <boost/test/unit_test.hpp>
#include <random>
#include <set>

using namespace headroom::domain;

namespace {

/// The entries with start >= from, in order, as visit_from gives them.
std::vector<job_span> visited(const job_index& index, instant from, std::size_t at_most) {
  std::vector<job_span> out;
  index.visit_from(from, [&](const job_span& e) {
    out.push_back(e);
    return out.size() < at_most;
  });
  return out;
}

std::vector<job_span> expected_from(const std::set<job_span>& reference, instant from,
                                    std::size_t at_most) {
  std::vector<job_span> out;
  for (auto it = reference.lower_bound({from, std::numeric_limits<instant>::min(), 0});
       it != reference.end() && out.size() < at_most; ++it)
    out.push_back(*it);
  return out;
}

bool same(const std::vector<job_span>& a, const std::vector<job_span>& b) { return a == b; }

}  // namespace

BOOST_AUTO_TEST_CASE(inserts_and_erases_across_many_chunks_keep_the_order) {
  std::mt19937_64 rng(3);
  job_index index;
  std::set<job_span> reference;
  // Many jobs at a few starts, as a rollout puts them: chunks split and empty out.
  for (index_t j = 0; j < 3000; ++j) {
    const job_span e{static_cast<instant>(rng() % 20) * 600, 0, j};
    index.append({e.start, e.start + 300, j});
    reference.insert({e.start, e.start + 300, j});
  }
  index.seal();
  for (int step = 0; step < 20000; ++step) {
    const auto j = static_cast<index_t>(rng() % 4000);
    const instant start = static_cast<instant>(rng() % 25) * 600 - 1200;
    const job_span e{start, start + static_cast<instant>(rng() % 900), j};
    if (rng() % 2) {
      if (reference.insert(e).second) index.insert(e);  // a job is in the index once
    } else {
      const bool had = reference.erase(e) > 0;
      BOOST_REQUIRE_EQUAL(index.erase(e), had);
      if (!reference.empty()) {
        const auto present =
            *std::next(reference.begin(), static_cast<long>(rng() % reference.size()));
        reference.erase(present);
        BOOST_REQUIRE(index.erase(present));
      }
    }
    if (step % 97 == 0) {
      const instant from = static_cast<instant>(rng() % 30) * 600 - 2400;
      BOOST_REQUIRE(same(visited(index, from, 5000), expected_from(reference, from, 5000)));
      BOOST_REQUIRE(same(visited(index, from, 3), expected_from(reference, from, 3)));
    }
  }
  BOOST_TEST(same(visited(index, std::numeric_limits<instant>::min(), 1'000'000),
                  expected_from(reference, std::numeric_limits<instant>::min(), 1'000'000)));
}

BOOST_AUTO_TEST_CASE(an_empty_index_visits_nothing_and_erases_nothing) {
  job_index index;
  index.seal();
  BOOST_TEST(visited(index, 0, 10).empty());
  BOOST_TEST(!index.erase({0, 1, 2}));
  index.insert({5, 6, 1});
  BOOST_TEST(visited(index, 6, 10).empty());
  BOOST_TEST(visited(index, 5, 10).size() == 1u);
  BOOST_TEST(index.erase({5, 6, 1}));
  BOOST_TEST(visited(index, 0, 10).empty());
}
