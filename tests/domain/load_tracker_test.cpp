#define BOOST_TEST_MODULE domain_load_tracker
#include "domain/load_tracker.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <numeric>
#include <random>
#include <sstream>

#include "tests/support/fleet_builder.hpp"
#include "tests/support/random_fleet.hpp"

using namespace headroom::domain;
using headroom::test::at;
using headroom::test::fleet_builder;

namespace headroom::domain {
inline std::ostream& boost_test_print_type(std::ostream& os, const load_step& s) {
  return os << "{" << s.at << ", " << s.load << "}";
}
}  // namespace headroom::domain

namespace {

const instant t0 = at("2026-12-08T00:00:00Z");
const interval day{t0, t0 + seconds_per_day};
const std::vector<std::string> distribution{"software_distribution", "status_monitoring"};

/// The fleet and schedule a tracker should agree with: every change is applied to both.
struct scenario {
  fleet f;
  schedule starts;
  interval horizon;

  explicit scenario(fleet fl)
      : f(std::move(fl)), starts(requested_schedule(f)), horizon(*f.horizon) {}

  [[nodiscard]] std::optional<interval> span_of(index_t j) const {
    if (starts[j] == unscheduled) return std::nullopt;
    return interval{starts[j], starts[j] + f.jobs[j].duration_s};
  }
  [[nodiscard]] detection reference() const {
    return detect(f, count_communications(f), starts, horizon);
  }
  [[nodiscard]] load_tracker tracker(std::vector<index_t> proxies) const {
    return {f, count_communications(f), starts, horizon, std::move(proxies)};
  }
  [[nodiscard]] std::vector<index_t> all_proxies() const {
    std::vector<index_t> all(f.proxies.size());
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  /// Sets job j's start (or unscheduled) and tells the tracker.
  void move(load_tracker& t, index_t j, instant start) {
    starts[j] = start;
    t.place(j, f.jobs[j].device, span_of(j));
  }
};

std::string describe(const load_timeline& timeline) {
  std::ostringstream out;
  for (const auto& s : timeline) out << s.at - t0 << ":" << s.load << " ";
  return out.str();
}

std::string describe(const std::vector<overload_window>& windows) {
  std::ostringstream out;
  for (const auto& w : windows) {
    out << "[" << w.span.start - t0 << "," << w.span.end - t0 << ") peak " << w.peak << " over "
        << w.threshold << " jobs";
    for (auto j : w.jobs) out << " " << j;
    out << "; ";
  }
  return out.str();
}

/// detect's windows of proxy p, with their jobs in index order (detect orders them by id).
std::vector<overload_window> windows_of(const detection& d, index_t p) {
  std::vector<overload_window> out;
  for (const auto& w : d.windows)
    if (w.proxy == p) out.push_back(w);
  for (auto& w : out) std::sort(w.jobs.begin(), w.jobs.end());
  return out;
}

void require_agreement(const load_tracker& t, const detection& reference) {
  for (index_t p : t.proxies()) {
    BOOST_TEST_CONTEXT("proxy " << p) {
      BOOST_REQUIRE_EQUAL(describe(t.timeline(p)), describe(reference.profile.proxies[p]));
      BOOST_REQUIRE_EQUAL(describe(t.windows(p)), describe(windows_of(reference, p)));
    }
  }
}

/// The tracked proxies whose windows (with their job lists) differ between two detections.
std::vector<index_t> differing(const load_tracker& t, const detection& before,
                               const detection& after) {
  std::vector<index_t> out;
  for (index_t p : t.proxies())
    if (describe(windows_of(before, p)) != describe(windows_of(after, p))) out.push_back(p);
  return out;
}

/// One random change of the kinds the detector sees, applied to the scenario and the tracker.
void random_change(scenario& s, load_tracker& t, std::mt19937_64& rng) {
  auto between = [&](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(rng() % (hi - lo + 1));
  };
  auto j = static_cast<index_t>(rng() % s.f.jobs.size());
  switch (rng() % 7) {
    case 0:  // moved anywhere, across the horizon's edges too
      s.starts[j] = between(s.horizon.start - 4000, s.horizon.end + 600);
      break;
    case 1:  // nudged, which splits and merges windows
      s.starts[j] =
          (s.starts[j] == unscheduled ? s.f.jobs[j].start : s.starts[j]) + between(-900, 900);
      break;
    case 2:  // a new duration estimate
      s.f.jobs[j].duration_s = between(1, 5400);
      break;
    case 3: {  // a new job
      job added{"n" + std::to_string(s.f.jobs.size()),
                static_cast<index_t>(rng() % s.f.devices.size()),
                "fw",
                between(s.horizon.start - 600, s.horizon.end),
                between(1, 3600),
                std::nullopt,
                0};
      s.f.jobs.push_back(added);
      s.starts.push_back(added.start);
      j = static_cast<index_t>(s.f.jobs.size() - 1);
      break;
    }
    case 4:  // stops loading (cancelled, or unschedulable)
      s.starts[j] = unscheduled;
      break;
    case 5:  // back at its requested start
      s.starts[j] = s.f.jobs[j].start;
      break;
    default:  // re-targeted to another device
      s.f.jobs[j].device = static_cast<index_t>(rng() % s.f.devices.size());
      break;
  }
  t.place(j, s.f.jobs[j].device, s.span_of(j));
}

}  // namespace

BOOST_AUTO_TEST_CASE(incremental_updates_equal_full_recomputation_after_every_change) {
  std::mt19937_64 rng(20261125);
  int changes_seen = 0, windows_seen = 0;
  for (int round = 0; round < 240; ++round) {
    scenario s(headroom::test::random_fleet(rng, 4 * 3600, round % 2 == 0));
    for (auto& start : s.starts)
      if (rng() % 5 == 0) start = unscheduled;
    auto t = s.tracker(s.all_proxies());
    auto before = s.reference();
    BOOST_TEST_CONTEXT("round " << round) {
      require_agreement(t, before);
      BOOST_REQUIRE(t.take_changed().empty());
      for (int step = 0; step < 30; ++step) {
        BOOST_TEST_CONTEXT("step " << step) {
          random_change(s, t, rng);
          auto after = s.reference();
          require_agreement(t, after);
          const auto expected = differing(t, before, after);
          BOOST_REQUIRE(t.take_changed() == expected);
          changes_seen += expected.empty() ? 0 : 1;
          windows_seen += static_cast<int>(after.windows.size());
          before = std::move(after);
        }
      }
    }
  }
  // Not a vacuous comparison: many changes move windows, and windows are common.
  BOOST_TEST_MESSAGE(changes_seen << " of 7200 changes changed windows; " << windows_seen
                                  << " windows compared");
  BOOST_TEST(changes_seen > 1000);
  BOOST_TEST(windows_seen > 5000);
}

BOOST_AUTO_TEST_CASE(a_shard_equals_the_full_tracker_on_its_proxies) {
  std::mt19937_64 rng(99);
  int rounds_with_shard = 0;
  for (int round = 0; round < 120; ++round) {
    scenario s(headroom::test::random_fleet(rng, 4 * 3600, true));
    if (s.f.proxies.size() < 2) continue;
    ++rounds_with_shard;
    const std::vector<index_t> shard{static_cast<index_t>(rng() % s.f.proxies.size())};
    auto full = s.tracker(s.all_proxies());
    auto part = s.tracker(shard);
    BOOST_TEST(part.proxies() == shard);
    for (int step = 0; step < 25; ++step) {
      const auto j = static_cast<index_t>(rng() % s.f.jobs.size());
      const instant start = s.horizon.start + static_cast<instant>(rng() % 7200);
      s.starts[j] = start;
      full.place(j, s.f.jobs[j].device, s.span_of(j));
      part.place(j, s.f.jobs[j].device, s.span_of(j));
      BOOST_TEST_CONTEXT("round " << round << " step " << step) {
        BOOST_REQUIRE_EQUAL(describe(part.timeline(shard[0])), describe(full.timeline(shard[0])));
        BOOST_REQUIRE_EQUAL(describe(part.windows(shard[0])), describe(full.windows(shard[0])));
        auto changed = full.take_changed();
        changed.erase(std::remove_if(changed.begin(), changed.end(),
                                     [&](index_t p) { return p != shard[0]; }),
                      changed.end());
        BOOST_REQUIRE(part.take_changed() == changed);
      }
    }
    BOOST_TEST(part.memory_bytes() < full.memory_bytes());
  }
  BOOST_TEST(rounds_with_shard > 50);
}

BOOST_AUTO_TEST_CASE(two_overlapping_jobs_of_one_device_count_once) {
  fleet_builder b(day);
  b.proxy("px-1", 2, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"})
      .device("d2", "c1", {"px-1"});
  b.job("j1", "d1", t0, 600).job("j2", "d1", t0 + 300, 600).job("j3", "d2", t0 + 1000, 100);
  scenario s(b.get());
  s.starts.assign(3, unscheduled);
  auto t = s.tracker({0});
  s.move(t, 0, t0);
  s.move(t, 1, t0 + 300);
  BOOST_TEST(t.timeline(0) == (load_timeline{{t0, 1}, {t0 + 900, 0}}));
  BOOST_TEST(t.take_changed().empty());
  s.move(t, 0, unscheduled);
  BOOST_TEST(t.timeline(0) == (load_timeline{{t0, 0}, {t0 + 300, 1}, {t0 + 900, 0}}));
  // d2 joins d1's remaining job: two devices at once, over the threshold of one.
  s.move(t, 2, t0 + 800);
  BOOST_REQUIRE_EQUAL(t.windows(0).size(), 1u);
  BOOST_TEST(t.windows(0)[0].span == (interval{t0 + 800, t0 + 900}));
  BOOST_TEST(t.windows(0)[0].jobs == (std::vector<index_t>{1, 2}));
  require_agreement(t, s.reference());
}

BOOST_AUTO_TEST_CASE(a_job_inside_a_service_occurrence_adds_no_load) {
  fleet_builder b(day);
  b.proxy("px-1", 2, 1).customer("c1", distribution).device("d1", "c1", {"px-1"});
  b.device_service("d1", "status_monitoring", t0, 3600, 1200).job("j1", "d1", t0 + 100, 300);
  scenario s(b.get());
  s.starts[0] = unscheduled;
  auto t = s.tracker({0});
  const auto services_only = t.timeline(0);
  s.move(t, 0, t0 + 100);
  BOOST_TEST(t.timeline(0) == services_only);
  BOOST_TEST(t.take_changed().empty());
  // Straddling the occurrence's end: only the part after it adds the device.
  s.move(t, 0, t0 + 1100);
  BOOST_TEST(t.timeline(0)[1] == (load_step{t0 + 1400, 0}));
  BOOST_TEST(load_at(t.timeline(0), t0 + 1300) == 1);
  BOOST_TEST(load_at(t.timeline(0), t0 + 1400) == 0);
  require_agreement(t, s.reference());
}

BOOST_AUTO_TEST_CASE(moving_a_job_out_of_and_back_into_a_window) {
  fleet_builder b(day);
  b.proxy("px-1", 3, 2).customer("c1", distribution);
  for (const char* d : {"d1", "d2", "d3"}) b.device(d, "c1", {"px-1"});
  b.job("j1", "d1", t0, 600)
      .job("j2", "d2", t0, 600)
      .job("j3", "d3", t0, 600)
      .job("j4", "d3", t0 + 100, 100);
  scenario s(b.get());
  auto t = s.tracker({0});
  BOOST_REQUIRE_EQUAL(t.windows(0).size(), 1u);
  BOOST_TEST(t.windows(0)[0].jobs == (std::vector<index_t>{0, 1, 2, 3}));
  s.move(t, 1, t0 + 3600);
  BOOST_TEST(t.windows(0).empty());
  BOOST_TEST(t.take_changed() == std::vector<index_t>{0});
  s.move(t, 1, t0);
  BOOST_TEST(t.windows(0).size() == 1u);
  BOOST_TEST(t.take_changed() == std::vector<index_t>{0});
  // j4 leaves the window without changing the load (j3 keeps d3 busy): the job list changed.
  s.move(t, 3, t0 + 200);
  BOOST_TEST(t.take_changed().empty());
  s.move(t, 3, t0 + 7200);
  BOOST_TEST(t.windows(0)[0].jobs == (std::vector<index_t>{0, 1, 2}));
  BOOST_TEST(t.take_changed() == std::vector<index_t>{0});
  require_agreement(t, s.reference());
}

BOOST_AUTO_TEST_CASE(a_change_splits_one_window_in_two_and_merges_two_into_one) {
  fleet_builder b(day);
  b.proxy("px-1", 3, 1).customer("c1", distribution);
  for (const char* d : {"d1", "d2", "d3", "d4"}) b.device(d, "c1", {"px-1"});
  b.job("j1", "d1", t0, 1000)
      .job("j2", "d2", t0, 400)
      .job("j3", "d3", t0 + 600, 400)
      .job("j4", "d4", t0 + 300, 400);
  scenario s(b.get());
  auto t = s.tracker({0});
  BOOST_REQUIRE_EQUAL(t.windows(0).size(), 1u);
  BOOST_TEST(t.windows(0)[0].span == (interval{t0, t0 + 1000}));
  BOOST_TEST(t.windows(0)[0].peak == 3);
  s.move(t, 3, unscheduled);
  BOOST_REQUIRE_EQUAL(t.windows(0).size(), 2u);
  BOOST_TEST(t.windows(0)[0].span == (interval{t0, t0 + 400}));
  BOOST_TEST(t.windows(0)[1].span == (interval{t0 + 600, t0 + 1000}));
  BOOST_TEST(t.take_changed() == std::vector<index_t>{0});
  s.move(t, 3, t0 + 300);
  BOOST_REQUIRE_EQUAL(t.windows(0).size(), 1u);
  BOOST_TEST(t.windows(0)[0].span == (interval{t0, t0 + 1000}));
  BOOST_TEST(t.take_changed() == std::vector<index_t>{0});
  require_agreement(t, s.reference());
}

BOOST_AUTO_TEST_CASE(jobs_of_direct_devices_and_outside_the_horizon_load_nothing) {
  fleet_builder b(day);
  b.proxy("px-1", 2, 1).customer("c1", distribution).customer("c2", {"status_monitoring"});
  b.device("d1", "c1", {"px-1"}).device("d2", "c1", {}).device("d3", "c2", {"px-1"});
  b.job("j1", "d1", t0, 600).job("j2", "d2", t0, 600).job("j3", "d3", t0, 600);
  scenario s(b.get());
  auto t = s.tracker({0});
  const auto initial = t.timeline(0);
  BOOST_TEST(initial == (load_timeline{{t0, 1}, {t0 + 600, 0}}));
  s.move(t, 1, t0 + 100);  // direct mode
  s.move(t, 2, t0 + 100);  // no software distribution contract
  s.move(t, 0, day.end + 60);
  BOOST_TEST(t.timeline(0) == (load_timeline{{t0, 0}}));
  s.move(t, 0, day.end - 300);  // across the horizon's end: clipped
  BOOST_TEST(t.timeline(0) == (load_timeline{{t0, 0}, {day.end - 300, 1}}));
  require_agreement(t, s.reference());
}

BOOST_AUTO_TEST_CASE(untracked_proxies_and_unknown_devices_are_refused) {
  fleet_builder b(day);
  b.proxy("px-1", 2, 1)
      .proxy("px-2", 2, 1)
      .customer("c1", distribution)
      .device("d1", "c1", {"px-1"});
  scenario s(b.get());
  auto t = s.tracker({1});
  BOOST_TEST(!t.tracks(0));
  BOOST_CHECK_THROW((void)t.windows(0), std::logic_error);
  BOOST_CHECK_THROW(t.place(0, 7, interval{t0, t0 + 1}), std::logic_error);
  BOOST_CHECK_THROW((void)s.tracker({2}), std::logic_error);
}
