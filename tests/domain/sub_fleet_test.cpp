// The cut around a proxy keeps every load it promises exact: on random fleets, the load of
// each kept proxy in the cut equals its load in the whole fleet.
#define BOOST_TEST_MODULE domain_sub_fleet
#include "domain/sub_fleet.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <random>

#include "domain/detection.hpp"
#include "tests/support/random_fleet.hpp"

namespace headroom::domain {
namespace {

BOOST_AUTO_TEST_CASE(every_kept_proxy_carries_its_whole_load) {
  std::mt19937_64 rng(21);
  int compared = 0;
  for (int i = 0; i < 100; ++i) {
    const auto f = test::random_fleet(rng, 2 * 86400, i % 2 == 0);
    const auto c = count_communications(f);
    const auto horizon = effective_horizon(f);
    const auto whole = build_load_profile(f, c, requested_schedule(f), horizon);
    const neighbourhoods around(f);
    for (index_t p = 0; p < f.proxies.size(); ++p) {
      const auto cut = cut_around(f, c, p, around);
      BOOST_TEST_REQUIRE(cut.part.proxies[cut.proxy].id == f.proxies[p].id);
      BOOST_TEST(!validate(cut.part).has_value());
      const auto part_counting = count_communications(cut.part);
      const auto part =
          build_load_profile(cut.part, part_counting, requested_schedule(cut.part), horizon);
      for (index_t k = 0; k < cut.part.proxies.size(); ++k) {
        index_t original = 0;
        while (f.proxies[original].id != cut.part.proxies[k].id) ++original;
        BOOST_TEST(part.proxies[k] == whole.proxies[original],
                   "fleet " << i << ", cut around " << f.proxies[p].id << ", proxy "
                            << f.proxies[original].id);
        ++compared;
      }
      for (std::size_t j = 0; j < cut.original_jobs.size(); ++j)
        BOOST_TEST(cut.part.jobs[j].id == f.jobs[cut.original_jobs[j]].id);
    }
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

}  // namespace
}  // namespace headroom::domain
