// The per-proxy job index (store/proxy_index.cpp, schema migration 6) and the schedule
// screen's reads through it: every write path keeps the index equal to a rebuild from the
// jobs and the hops; an older store gets it from the migration; and one proxy's part of the
// fleet gives the view the whole fleet gives (load, windows, jobs, the job list), on random
// fleets with chained proxies, shared devices, direct devices and services, after edits.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <random>
#include <tuple>

#include "distribution/pages/load_chart.hpp"
#include "distribution/store/schema.hpp"
#include "distribution/store/store.hpp"
#include "domain/time.hpp"
#include "tests/support/random_fleet.hpp"
#include "tests/support/schema_v5.hpp"
#include "tests/support/scratch_dir.hpp"

namespace headroom::test {
namespace {

using distribution::store;
using domain::instant;
using rows = std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>;

constexpr instant now = 1'796'000'000;

/// A store in a fresh directory (closed before the directory goes: members end in reverse).
struct store_file {
  store_file() { open(); }

  void open() {
    data.reset();
    auto opened = store::open(path, 2);
    BOOST_REQUIRE_MESSAGE(opened.has_value(), (opened ? std::string() : opened.failure().detail));
    data = std::move(*opened);
  }

  [[nodiscard]] rows read(const char* sql) const {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement s(db, sql);
    rows out;
    while (s.executeStep())
      out.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt64(),
                       s.getColumn(2).getInt64(), s.getColumn(3).getInt64());
    return out;
  }

  scratch_dir dir;
  std::string path = dir.file("distribution.sqlite3");
  std::unique_ptr<store> data;
};

/// The index holds what a rebuild from the jobs and the hops gives, and the bound on
/// durations covers every job.
void check_index(const store_file& f, const std::string& after) {
  BOOST_TEST_CONTEXT("after " << after) {
    BOOST_TEST((f.read("SELECT proxy, start, job, finish FROM proxy_jobs ORDER BY 1, 2, 3") ==
                f.read("SELECT DISTINCT h.proxy, j.start, j.pos, j.start + j.duration_s FROM "
                       "device_proxies h JOIN jobs j ON j.device = h.device ORDER BY 1, 2, 3")));
    const auto bound = f.read(
        "SELECT CAST(value AS INTEGER), (SELECT coalesce(max(duration_s), 0) FROM jobs), 0, 0 "
        "FROM meta WHERE key = 'longest_job_s'");
    BOOST_REQUIRE(bound.size() == 1);
    BOOST_TEST(std::get<0>(bound[0]) >= std::get<1>(bound[0]));
  }
}

auto comparable(const distribution::chart_job& j) {
  return std::tuple(j.id, j.device, j.start, j.preview_start, j.duration_s, j.moving);
}

auto comparable(const domain::overload_window& w) {
  return std::tuple(w.span.start, w.span.end, w.peak, w.threshold);
}

template <class T>
auto comparable(const std::vector<T>& items) {
  std::vector<decltype(comparable(items.front()))> out;
  out.reserve(items.size());
  for (const auto& i : items) out.push_back(comparable(i));
  return out;
}

/// Every proxy's view from its part equals the view from the whole active fleet, with and
/// without `moves`; the part's jobs are the job list by proxy and range.
void check_views(store& s, domain::interval range, const std::map<std::string, instant>& moves,
                 const std::string& after) {
  auto whole = s.export_fleet(true);
  BOOST_REQUIRE(whole.has_value());
  std::vector<std::string> moved;
  moved.reserve(moves.size());
  for (const auto& [id, to] : moves) moved.push_back(id);
  for (const auto& p : whole->proxies) {
    BOOST_TEST_CONTEXT(
        "after " << after << ", proxy " << p.id << ", range " << domain::format_utc(range.start)
                 << " - " << domain::format_utc(range.end) << ", " << moves.size() << " moves") {
      auto part = s.proxy_part_of(p.id, range, moved);
      BOOST_REQUIRE_MESSAGE(part.has_value(), (part ? std::string() : part.failure().detail));
      for (const auto& m : {std::map<std::string, instant>{}, moves}) {
        const auto expected = distribution::build_proxy_view(*whole, p.id, range, m);
        const auto got = distribution::build_proxy_view(part->fleet, p.id, range, m);
        BOOST_REQUIRE(expected.has_value());
        BOOST_REQUIRE(got.has_value());
        BOOST_TEST((got->current == expected->current));
        BOOST_TEST((got->preview == expected->preview));
        BOOST_TEST((comparable(got->current_windows) == comparable(expected->current_windows)));
        BOOST_TEST((comparable(got->preview_windows) == comparable(expected->preview_windows)));
        BOOST_TEST((comparable(got->jobs) == comparable(expected->jobs)));
        BOOST_TEST(got->capacity == expected->capacity);
        BOOST_TEST(got->threshold == expected->threshold);
        BOOST_TEST(got->has_preview == expected->has_preview);
      }
      distribution::job_filter filter;
      filter.proxy = p.id;
      filter.from = range.start;
      filter.to = range.end;
      filter.limit = 10'000;
      auto listed = s.jobs(filter);
      BOOST_REQUIRE(listed.has_value());
      std::vector<distribution_api::job_record> expected_jobs;
      expected_jobs.reserve(listed->items.size());
      for (const auto& j : listed->items) expected_jobs.push_back(j.record);
      auto got_jobs = part->jobs;
      const auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
      std::stable_sort(expected_jobs.begin(), expected_jobs.end(), by_id);
      std::stable_sort(got_jobs.begin(), got_jobs.end(), by_id);
      BOOST_TEST((got_jobs == expected_jobs));
    }
  }
}

/// What the page reads of the whole store: the horizon of the active jobs and their starts.
void check_horizon(store& s) {
  auto whole = s.export_fleet(true);
  BOOST_REQUIRE(whole.has_value());
  auto horizon = s.active_horizon();
  BOOST_REQUIRE(horizon.has_value());
  BOOST_TEST(horizon->has_value() == !whole->jobs.empty());
  if (!whole->jobs.empty() && *horizon) {
    const auto expected = domain::effective_horizon(*whole);
    BOOST_TEST((*horizon)->start == expected.start);
    BOOST_TEST((*horizon)->end == expected.end);
  }
  std::vector<std::string> ids{"no-such-job"};
  std::map<std::string, instant> expected{};
  for (const auto& j : whole->jobs) ids.push_back(j.id), expected[j.id] = j.start;
  auto starts = s.active_starts(ids);
  BOOST_REQUIRE(starts.has_value());
  BOOST_TEST((*starts == expected));
}

/// Some ranges of the horizon: whole, its start, a half-hour inside, and the range after it.
std::vector<domain::interval> ranges_of(domain::interval h, std::mt19937_64& rng) {
  const auto at = h.start + static_cast<instant>(rng() % static_cast<std::uint64_t>(h.length()));
  return {h, {h.start, h.start + 3600}, {at, at + 1800}, {h.end, h.end + 3600}};
}

/// Moves of up to two active jobs, anywhere in the horizon.
std::map<std::string, instant> random_moves(const domain::fleet& f, domain::interval h,
                                            std::mt19937_64& rng) {
  std::map<std::string, instant> moves;
  if (f.jobs.empty()) return moves;
  for (int i = 0; i < 2; ++i)
    moves[f.jobs[rng() % f.jobs.size()].id] =
        h.start + static_cast<instant>(rng() % static_cast<std::uint64_t>(h.length()));
  return moves;
}

/// Every page of the device list, whole (one range of hops per page) and by customer (a
/// lookup per device), gives each device its proxies in path order.
void check_device_lists(store& s, const std::string& after) {
  auto whole = s.export_fleet(false);
  BOOST_REQUIRE(whole.has_value());
  std::map<std::string, std::vector<std::string>> expected;
  for (const auto& d : whole->devices) {
    auto& proxies = expected[d.id];
    for (const auto p : d.path) proxies.push_back(whole->proxies[p].id);
  }
  std::vector<distribution::device_filter> filters;
  for (const int limit : {3, 1000}) {
    distribution::device_filter all;
    all.limit = limit;
    filters.push_back(all);
  }
  for (const auto& c : whole->customers) {
    distribution::device_filter of_customer;
    of_customer.customer = c.id;
    of_customer.limit = 2;
    filters.push_back(of_customer);
  }
  std::size_t listed = 0;
  for (auto filter : filters)
    for (;;) {
      auto page = s.devices(filter);
      BOOST_REQUIRE(page.has_value());
      for (const auto& d : page->items) {
        BOOST_TEST((d.record.proxies == expected.at(d.record.id)),
                   "after " << after << ", device " << d.record.id);
        ++listed;
      }
      if (!page->next_after) break;
      filter.after = *page->next_after;
    }
  BOOST_TEST(listed == 3 * whole->devices.size(), "after " << after);
}

/// Index, horizon and views, over the ranges.
void check_all(store_file& f, std::mt19937_64& rng, const std::string& after) {
  check_index(f, after);
  check_device_lists(*f.data, after);
  check_horizon(*f.data);
  auto whole = f.data->export_fleet(true);
  BOOST_REQUIRE(whole.has_value());
  const auto h = domain::interval{random_fleet_start(), random_fleet_start() + 2 * 86400};
  for (const auto& range : ranges_of(h, rng))
    check_views(*f.data, range, random_moves(*whole, h, rng), after);
}

distribution_api::job_record any_job(store& s, std::mt19937_64& rng) {
  auto all = s.jobs({});
  BOOST_REQUIRE(all.has_value());
  BOOST_REQUIRE(!all->items.empty());
  return all->items[rng() % all->items.size()].record;
}

/// A random topology document: some proxies (one new), each with random devices, some listed
/// twice (a device may sit behind a proxy more than once on its chain).
distribution_api::topology_record random_topology(const domain::fleet& f, std::mt19937_64& rng,
                                                  const std::string& detector) {
  distribution_api::topology_record t;
  t.detector = detector;
  auto proxies = f.proxies;
  proxies.push_back({"px-new-" + detector, 3, 2});
  for (const auto& p : proxies) {
    if (rng() % 3 == 0) continue;
    distribution_api::topology_proxy out{p.id, p.capacity, p.threshold, {}};
    for (const auto& d : f.devices)
      if (rng() % 2) out.devices.push_back(d.id);
    if (!out.devices.empty() && rng() % 4 == 0) out.devices.push_back(out.devices.front());
    out.devices.emplace_back("unknown-device");
    t.proxies.push_back(std::move(out));
  }
  return t;
}

/// The report changed a little: one proxy dropped, one with another capacity and
/// threshold, one with a device fewer, one with a device more and one listed twice.
distribution_api::topology_record varied(distribution_api::topology_record t,
                                         const domain::fleet& f, std::mt19937_64& rng) {
  if (t.proxies.empty()) return t;
  t.proxies.erase(t.proxies.begin() + static_cast<std::ptrdiff_t>(rng() % t.proxies.size()));
  for (auto& p : t.proxies) {
    switch (rng() % 4) {
      case 0:
        p.capacity += 2;
        p.threshold += 1;
        break;
      case 1:
        if (p.devices.size() > 1) p.devices.erase(p.devices.begin());
        break;
      case 2:
        p.devices.push_back(f.devices[rng() % f.devices.size()].id);
        p.devices.push_back(p.devices.back());
        break;
      default:
        break;
    }
  }
  return t;
}

using topology_view = std::map<std::string, std::tuple<int, int, std::vector<std::string>>>;

/// The stored topology by proxy, each proxy's devices sorted (a device once per hop).
topology_view topology_of(store& s) {
  auto t = s.topology();
  BOOST_REQUIRE(t.has_value());
  topology_view out;
  for (auto p : t->proxies) {
    std::sort(p.devices.begin(), p.devices.end());
    out[p.id] = {p.capacity, p.threshold, p.devices};
  }
  return out;
}

/// What a detector's report leaves: `before` without the proxies of `previous` it no longer
/// names, and with the ones it names as reported (their known devices).
topology_view expected_after(topology_view before,
                             const distribution_api::topology_record& previous,
                             const distribution_api::topology_record& report) {
  for (const auto& p : previous.proxies) before.erase(p.id);
  for (const auto& p : report.proxies) {
    auto devices = p.devices;
    std::erase(devices, "unknown-device");
    std::sort(devices.begin(), devices.end());
    before[p.id] = {p.capacity, p.threshold, devices};
  }
  return before;
}

/// A detector reports, reports the same again (nothing may change, not even the order of
/// the proxies), then a varied report: the topology and the index follow each.
void report_again_and_vary(store_file& f, const domain::fleet& fleet, std::mt19937_64& rng) {
  const auto first = random_topology(fleet, rng, "det-again");
  BOOST_REQUIRE(f.data->replace_topology(first).has_value());
  const auto stored = f.data->topology();
  BOOST_REQUIRE(stored.has_value());
  const auto view = topology_of(*f.data);
  const auto unknown = f.data->replace_topology(first);
  BOOST_REQUIRE(unknown.has_value());
  BOOST_TEST(unknown->size() == first.proxies.size());
  const auto again = f.data->topology();
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST((again->proxies == stored->proxies));
  check_index(f, "the same report again");
  const auto second = varied(first, fleet, rng);
  BOOST_REQUIRE(f.data->replace_topology(second).has_value());
  BOOST_TEST((topology_of(*f.data) == expected_after(view, first, second)));
  check_all(f, rng, "a varied report");
}

/// The edits every write path makes, each followed by all the checks.
void edit_and_check(store_file& f, const domain::fleet& fleet, std::mt19937_64& rng) {
  using distribution_api::job_status;
  const std::vector<job_status> statuses{job_status::scheduled, job_status::running,
                                         job_status::done, job_status::failed,
                                         job_status::cancelled};
  {
    const auto j = any_job(*f.data, rng);
    distribution_api::job_patch p;
    p.expected_version = j.version;
    p.start = j.start + static_cast<instant>(rng() % 7200) - 3600;
    p.duration_s = 1 + static_cast<std::int64_t>(rng() % 5400);
    p.status = statuses[rng() % statuses.size()];
    BOOST_REQUIRE(f.data->patch_job(j.id, p, now).has_value());
    check_all(f, rng, "a job update");
  }
  {
    distribution_api::job_record j;
    j.id = "created";
    j.device = fleet.devices[rng() % fleet.devices.size()].id;
    j.package = "fw";
    j.start = random_fleet_start() + static_cast<instant>(rng() % 86400);
    j.duration_s = 1 + static_cast<std::int64_t>(rng() % 7200);
    BOOST_REQUIRE(f.data->create_job(j, now).has_value());
    check_all(f, rng, "a job creation");
  }
  {
    const auto j = any_job(*f.data, rng);
    const std::vector<distribution_api::move_record> moves{
        {j.id, j.start, j.start + static_cast<instant>(rng() % 3600), j.version}};
    BOOST_REQUIRE(f.data->apply_adjustments({}, "test", "{}", moves, now).has_value());
    check_all(f, rng, "an adjustment");
  }
  for (const char* detector : {"det-1", "det-2", ""}) {
    BOOST_REQUIRE(f.data->replace_topology(random_topology(fleet, rng, detector)).has_value());
    check_all(f, rng, std::string("a topology from '") + detector + "'");
  }
  report_again_and_vary(f, fleet, rng);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(distribution_proxy_index)

BOOST_AUTO_TEST_CASE(
    every_write_path_keeps_the_index_and_a_proxy_part_gives_the_whole_fleets_view) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    BOOST_TEST_CONTEXT("seed " << seed) {
      std::mt19937_64 rng(seed);
      auto fleet = random_fleet(rng, 2 * 86400, seed % 2 == 0);
      // Without a declared horizon the page's default range comes from the jobs.
      if (seed % 3 == 0) fleet.horizon.reset();
      store_file f;
      BOOST_REQUIRE(f.data->replace_fleet(fleet, now).has_value());
      check_all(f, rng, "the fleet import");
      edit_and_check(f, fleet, rng);
      BOOST_REQUIRE(f.data->replace_fleet(fleet, now).has_value());
      check_all(f, rng, "a second fleet import");
    }
  }
}

BOOST_AUTO_TEST_CASE(an_older_store_gets_the_index_from_its_migration) {
  std::mt19937_64 rng(7);
  const auto fleet = random_fleet(rng, 2 * 86400, true);
  store_file f;
  BOOST_REQUIRE(f.data->replace_fleet(fleet, now).has_value());
  edit_and_check(f, fleet, rng);
  f.data.reset();
  {
    // The file as schema version 5 left it: no clock, no index, no bound, none of the new
    // indexes.
    SQLite::Database db(f.path, SQLite::OPEN_READWRITE);
    db.exec(test::back_to_schema_5);
  }
  f.open();
  BOOST_TEST(f.data->schema_version() == distribution::latest_schema_version());
  check_all(f, rng, "the migration");
}

BOOST_AUTO_TEST_CASE(an_unknown_proxy_has_an_empty_part) {
  std::mt19937_64 rng(3);
  store_file f;
  BOOST_REQUIRE(f.data->replace_fleet(random_fleet(rng, 86400, false), now).has_value());
  auto part = f.data->proxy_part_of("no-such-proxy", {now, now + 3600}, {"j0"});
  BOOST_REQUIRE(part.has_value());
  BOOST_TEST(part->fleet.proxies.empty());
  BOOST_TEST(part->jobs.empty());
  const auto view =
      distribution::build_proxy_view(part->fleet, "no-such-proxy", {now, now + 1}, {});
  BOOST_REQUIRE(!view.has_value());
  BOOST_TEST(view.failure().detail == "no proxy 'no-such-proxy'");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
