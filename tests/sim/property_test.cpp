// headroom sim on random fleets (tests/support/random_fleet): what must hold whatever the
// fleet, for every strategy, and against `headroom check` where they must agree.
#define BOOST_TEST_MODULE sim_properties
#include <boost/test/unit_test.hpp>
#include <random>

#include "actors/sim/simulation.hpp"
#include "domain/detection.hpp"
#include "tests/support/random_fleet.hpp"

namespace headroom::sim {
namespace {

constexpr int fleets = 150;
constexpr std::int64_t horizon_s = 2 * 86400;

simulation_result run(const domain::fleet& f, double noise = 0) {
  sim_config config;
  config.retries = 2;
  config.retry_after_s = 600;
  config.group_share = {1, 4};
  config.duration_noise = noise;
  config.threads = 1;
  common::progress_lanes lanes(config.strategies.size());
  return simulate(f, *validate(config), lanes, domain::wall_clock::fixed(0));
}

bool jobs_inside_horizon(const domain::fleet& f, const domain::counting& c) {
  const auto h = domain::effective_horizon(f);
  for (domain::index_t j = 0; j < f.jobs.size(); ++j)
    if (c.job_counts[j] && (f.jobs[j].start < h.start || f.jobs[j].span().end > h.end))
      return false;
  return true;
}

BOOST_AUTO_TEST_CASE(every_job_ends_one_way_and_no_proxy_goes_above_capacity) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < fleets; ++i) {
    const auto f = test::random_fleet(rng, horizon_s, true);
    const auto result = run(f, i % 3 == 0 ? 0.4 : 0.0);
    for (const auto& r : result.strategies) {
      BOOST_TEST_CONTEXT("fleet " << i << ", " << to_string(r.which)) {
        BOOST_TEST(r.succeeded + r.failed == r.jobs);
        BOOST_TEST(r.jobs == result.fleet.jobs);
        for (domain::index_t p = 0; p < f.proxies.size(); ++p)
          BOOST_TEST(r.peak[p] <= f.proxies[p].capacity);
        for (const auto& o : r.outcomes) {
          BOOST_TEST(o.attempts >= 1);
          BOOST_TEST(o.attempts <= 3);
          BOOST_TEST(o.succeeded == o.start.has_value());
          if (o.start) BOOST_TEST(*o.start >= o.planned);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(headroom_fails_nothing_when_its_plan_places_every_job) {
  std::mt19937_64 rng(12);
  int exercised = 0;
  for (int i = 0; i < fleets; ++i) {
    const auto f = test::random_fleet(rng, horizon_s, true);
    const auto result = run(f);
    const auto& warn = result.strategies[3];
    const auto& automatic = result.strategies[4];
    BOOST_TEST_CONTEXT("fleet " << i) {
      // With exact durations the automatic mode starts from the same plan and never does
      // worse than the warning mode.
      BOOST_TEST(automatic.failed <= warn.failed);
      if (warn.unschedulable > 0 || !jobs_inside_horizon(f, domain::count_communications(f)))
        continue;
      ++exercised;
      BOOST_TEST(warn.failed == 0);
      BOOST_TEST(automatic.failed == 0);
      BOOST_TEST(warn.refusals == 0);
    }
  }
  BOOST_TEST_MESSAGE(exercised << " of " << fleets << " fleets had a plan that placed every job");
  BOOST_TEST(exercised >= fleets / 10);
}

BOOST_AUTO_TEST_CASE(as_scheduled_peaks_are_the_loads_headroom_check_predicts) {
  std::mt19937_64 rng(13);
  int compared = 0;
  for (int i = 0; i < fleets; ++i) {
    auto f = test::random_fleet(rng, horizon_s, true);
    // Room for everyone: nothing is refused, so the replay must load each proxy exactly
    // as predicted.
    for (auto& p : f.proxies) p.capacity = 1'000'000;
    const auto c = domain::count_communications(f);
    if (!jobs_inside_horizon(f, c)) continue;
    ++compared;
    const auto result = run(f);
    const auto& replayed = result.strategies[0];
    BOOST_TEST(replayed.refusals == 0);
    BOOST_TEST(replayed.service_refusals == 0);
    const auto horizon = domain::effective_horizon(f);
    const auto predicted = domain::detect(f, c, domain::requested_schedule(f), horizon);
    for (domain::index_t p = 0; p < f.proxies.size(); ++p) {
      std::int32_t most = 0;
      for (const auto& step : predicted.profile.proxies[p]) most = std::max(most, step.load);
      BOOST_TEST(replayed.peak[p] == most, "fleet " << i << ", proxy " << f.proxies[p].id);
    }
  }
  BOOST_TEST(compared >= fleets / 2);
}

BOOST_AUTO_TEST_CASE(with_noisy_durations_the_automatic_mode_learns_and_fails_fewer) {
  // Downloads last longer or shorter than planned; the plan of the warning mode does not
  // know, the detector running during the rollout learns it from the observed durations.
  std::mt19937_64 rng(14);
  std::int64_t warn_failed = 0;
  std::int64_t auto_failed = 0;
  std::int64_t moves = 0;
  for (int i = 0; i < fleets; ++i) {
    const auto f = test::random_fleet(rng, horizon_s, true);
    const auto result = run(f, 0.5);
    warn_failed += result.strategies[3].failed;
    auto_failed += result.strategies[4].failed;
    moves += result.strategies[4].moves_applied;
    BOOST_TEST(result.strategies[3].moves_applied == 0);
  }
  BOOST_TEST_MESSAGE("failed with noise: headroom-warn " << warn_failed << ", headroom-auto "
                                                         << auto_failed << " (" << moves
                                                         << " moves applied)");
  BOOST_TEST(moves > 0);
  BOOST_TEST(auto_failed < warn_failed);
}

}  // namespace
}  // namespace headroom::sim
