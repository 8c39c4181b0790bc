// A detector's topology report (store::replace_topology, store/topology_writes.cpp and
// store/hop_changes.cpp) against an in-memory model of what writing it one device at a
// time leaves: the proxies (positions, capacities, reporters), every hop row with its
// number, the per-proxy job index and the unknown devices in their order. The store
// writes a report's changes as sets; the model writes them in the report's order, so a
// hop numbered differently, an index row missed or an unknown device out of place fails.
// Random reports from several detectors move, add, remove and repeat devices, name
// unknown ones, take proxies over, drop them, add new ones and name a proxy twice, on
// fleets large enough for the store to resolve ids by scanning and small reports that it
// resolves by lookups.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "distribution/store/store.hpp"
#include "tests/support/fleet_builder.hpp"
#include "tests/support/scratch_dir.hpp"

namespace headroom::test {
namespace {

using distribution_api::topology_proxy;
using distribution_api::topology_record;
using proxy_row = std::tuple<std::int64_t, std::string, int, int, std::optional<std::string>>;
using hop_row = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // device, hop, proxy
using index_row = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>;

constexpr domain::instant now = 1'796'000'000;

/// A fleet of `proxies` proxies and `devices` devices behind up to three of them (some
/// behind none), with up to three jobs each.
domain::fleet random_fleet_of(std::mt19937_64& rng, int proxies, int devices) {
  const auto t0 = at("2026-12-08T00:00:00Z");
  fleet_builder b({t0, t0 + 86400});
  b.customer("c", {"software_distribution"});
  std::vector<std::string> proxy_ids;
  for (int p = 0; p < proxies; ++p) {
    proxy_ids.push_back("px-" + std::to_string(p));
    b.proxy(proxy_ids.back(), 10, 5);
  }
  for (int d = 0; d < devices; ++d) {
    auto path = proxy_ids;
    std::shuffle(path.begin(), path.end(), rng);
    path.resize(std::min<std::size_t>(path.size(), rng() % 4));
    const auto id = "dev-" + std::to_string(d);
    b.device(id, "c", path);
    for (int j = static_cast<int>(rng() % 4); j > 0; --j)
      b.job(id + "-j" + std::to_string(j), id, t0 + static_cast<domain::instant>(rng() % 80000),
            1 + static_cast<std::int64_t>(rng() % 3600));
  }
  return b.get();
}

/// What writing a report one device at a time leaves, kept in memory.
class store_model {
 public:
  /// The state as the fleet import stored it.
  explicit store_model(SQLite::Database& db) {
    SQLite::Statement devices(db, "SELECT id, pos FROM devices");
    while (devices.executeStep())
      device_pos_[devices.getColumn(0).getString()] = devices.getColumn(1).getInt64();
    proxies_ = proxies_of(db);
    hops_ = hops_of(db);
  }

  static std::vector<proxy_row> proxies_of(SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT pos, id, capacity, threshold, reporter FROM proxies ORDER BY pos");
    std::vector<proxy_row> out;
    while (s.executeStep())
      out.emplace_back(
          s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt(),
          s.getColumn(3).getInt(),
          s.getColumn(4).isNull() ? std::nullopt : std::optional(s.getColumn(4).getString()));
    return out;
  }

  static std::vector<hop_row> hops_of(SQLite::Database& db) {
    SQLite::Statement s(db, "SELECT device, hop, proxy FROM device_proxies ORDER BY 1, 2");
    std::vector<hop_row> out;
    while (s.executeStep())
      out.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt64(),
                       s.getColumn(2).getInt64());
    return out;
  }

  /// Applies the report; answers the unknown devices.
  std::vector<std::string> apply(const topology_record& t) {
    std::vector<std::string> unknown;
    if (t.detector.empty()) {
      proxies_.clear();
      hops_.clear();
    } else {
      std::set<std::string> named;
      for (const auto& p : t.proxies) named.insert(p.id);
      std::erase_if(proxies_, [&](const proxy_row& p) {
        if (std::get<4>(p) != t.detector || named.count(std::get<1>(p))) return false;
        std::erase_if(hops_, [&](const hop_row& h) { return std::get<2>(h) == std::get<0>(p); });
        return true;
      });
    }
    const std::optional<std::string> reporter =
        t.detector.empty() ? std::nullopt : std::optional(t.detector);
    for (const auto& p : t.proxies) {
      auto stored = std::find_if(proxies_.begin(), proxies_.end(),
                                 [&](const proxy_row& r) { return std::get<1>(r) == p.id; });
      if (stored == proxies_.end()) {
        const auto pos = proxies_.empty() ? 0 : std::get<0>(proxies_.back()) + 1;
        proxies_.emplace_back(pos, p.id, p.capacity, p.threshold, reporter);
        for (const auto& id : p.devices)
          if (const auto d = device_pos_.find(id); d != device_pos_.end())
            add_hop(d->second, pos);
          else
            unknown.push_back(id);
        continue;
      }
      *stored = {std::get<0>(*stored), p.id, p.capacity, p.threshold, reporter};
      const auto pos = std::get<0>(*stored);
      // By id, in id order: the devices whose number of hops through the proxy differs.
      std::map<std::string, std::pair<int, int>> counts;  // stored, wanted
      for (const auto& [id, d] : device_pos_)
        for (const auto& h : hops_)
          if (std::get<0>(h) == d && std::get<2>(h) == pos) ++counts[id].first;
      for (const auto& id : p.devices) ++counts[id].second;
      for (const auto& [id, n] : counts) {
        if (n.first == n.second) continue;
        const auto d = device_pos_.find(id);
        if (d == device_pos_.end()) {
          unknown.insert(unknown.end(), static_cast<std::size_t>(n.second), id);
          continue;
        }
        std::erase_if(hops_, [&](const hop_row& h) {
          return std::get<0>(h) == d->second && std::get<2>(h) == pos;
        });
        for (int i = 0; i < n.second; ++i) add_hop(d->second, pos);
      }
    }
    std::sort(hops_.begin(), hops_.end());
    return unknown;
  }

  [[nodiscard]] const std::vector<proxy_row>& proxies() const { return proxies_; }
  [[nodiscard]] const std::vector<hop_row>& hops() const { return hops_; }
  [[nodiscard]] const std::map<std::string, std::int64_t>& devices() const { return device_pos_; }

  /// The devices behind the proxy, by id, once per hop.
  [[nodiscard]] std::vector<std::string> devices_of(std::int64_t proxy) const {
    std::vector<std::string> out;
    for (const auto& [id, d] : device_pos_)
      for (const auto& h : hops_)
        if (std::get<0>(h) == d && std::get<2>(h) == proxy) out.push_back(id);
    return out;
  }

 private:
  /// The next hop of the device's path, after the last it has.
  void add_hop(std::int64_t device, std::int64_t proxy) {
    std::int64_t next = 0;
    for (const auto& h : hops_)
      if (std::get<0>(h) == device) next = std::max(next, std::get<1>(h) + 1);
    hops_.emplace_back(device, next, proxy);
  }

  std::map<std::string, std::int64_t> device_pos_;
  std::vector<proxy_row> proxies_;
  std::vector<hop_row> hops_;
};

/// The index rows the model's hops give: each job under each proxy of its device, once.
std::vector<index_row> expected_index(SQLite::Database& db, const store_model& m) {
  SQLite::Statement jobs(db, "SELECT device, start, pos, start + duration_s FROM jobs");
  std::multimap<std::int64_t, std::tuple<std::int64_t, std::int64_t, std::int64_t>> of_device;
  while (jobs.executeStep())
    of_device.emplace(jobs.getColumn(0).getInt64(),
                      std::tuple(jobs.getColumn(1).getInt64(), jobs.getColumn(2).getInt64(),
                                 jobs.getColumn(3).getInt64()));
  std::set<index_row> out;
  for (const auto& [device, hop, proxy] : m.hops()) {
    const auto [first, last] = of_device.equal_range(device);
    for (auto j = first; j != last; ++j)
      out.emplace(proxy, std::get<0>(j->second), std::get<1>(j->second), std::get<2>(j->second));
  }
  return {out.begin(), out.end()};
}

std::vector<index_row> stored_index(SQLite::Database& db) {
  SQLite::Statement s(db, "SELECT proxy, start, job, finish FROM proxy_jobs ORDER BY 1, 2, 3");
  std::vector<index_row> out;
  while (s.executeStep())
    out.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt64(),
                     s.getColumn(2).getInt64(), s.getColumn(3).getInt64());
  return out;
}

/// A random report from `detector`, made from what is stored: proxies of anyone (taken
/// over), a new one now and then, each with its stored devices or random ones, changed a
/// little (devices moved in and out, listed twice, unknown ones), in any order; a proxy
/// named twice now and then. One in five is small (a device or two), so that the store
/// looks its devices up one by one.
topology_record random_report(const store_model& m, std::mt19937_64& rng,
                              const std::string& detector, int& new_proxies) {
  std::vector<std::string> ids;
  for (const auto& [id, pos] : m.devices()) ids.push_back(id);
  const auto any_device = [&] { return ids[rng() % ids.size()]; };
  topology_record t;
  t.detector = detector;
  const bool small = rng() % 5 == 0;
  for (const auto& p : m.proxies()) {
    if (rng() % 3 == 0) continue;
    topology_proxy out{std::get<1>(p), std::get<2>(p), std::get<3>(p), {}};
    if (rng() % 4 == 0) out.capacity += 1;
    if (small) {
      out.devices.push_back(rng() % 4 ? any_device() : "ghost-" + std::to_string(rng() % 3));
    } else {
      out.devices = rng() % 4 ? m.devices_of(std::get<0>(p)) : std::vector<std::string>();
      std::erase_if(out.devices, [&](const auto&) { return rng() % 8 == 0; });
      for (int i = static_cast<int>(rng() % 4); i > 0; --i) out.devices.push_back(any_device());
      if (!out.devices.empty() && rng() % 3 == 0)
        out.devices.push_back(out.devices[rng() % out.devices.size()]);
      if (rng() % 3 == 0) out.devices.push_back("ghost-" + std::to_string(rng() % 3));
      if (rng() % 2) std::shuffle(out.devices.begin(), out.devices.end(), rng);
    }
    t.proxies.push_back(std::move(out));
  }
  if (rng() % 3 == 0) {
    topology_proxy added{"px-new-" + std::to_string(new_proxies++), 4, 2, {}};
    for (int i = static_cast<int>(rng() % (small ? 2 : 12)); i > 0; --i)
      added.devices.push_back(rng() % 6 ? any_device() : "ghost-" + std::to_string(rng() % 3));
    t.proxies.push_back(std::move(added));
  }
  std::shuffle(t.proxies.begin(), t.proxies.end(), rng);
  // The API refuses a proxy named twice; the store takes the later mention as a change
  // (a whole topology refuses it too).
  if (!detector.empty() && !t.proxies.empty() && rng() % 8 == 0) {
    auto again = t.proxies[rng() % t.proxies.size()];
    if (!again.devices.empty()) again.devices.erase(again.devices.begin());
    again.devices.push_back(any_device());
    t.proxies.push_back(std::move(again));
  }
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(distribution_topology_report)

BOOST_AUTO_TEST_CASE(a_report_leaves_the_rows_that_writing_it_device_by_device_leaves) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    BOOST_TEST_CONTEXT("seed " << seed) {
      std::mt19937_64 rng(seed);
      scratch_dir dir;
      const auto path = dir.file("distribution.sqlite3");
      auto opened = distribution::store::open(path, 1);
      BOOST_REQUIRE(opened.has_value());
      auto& data = **opened;
      const auto fleet =
          random_fleet_of(rng, 2 + static_cast<int>(rng() % 8), 10 + static_cast<int>(rng() % 150));
      const auto imported = data.replace_fleet(fleet, now);
      BOOST_REQUIRE_MESSAGE(imported.has_value(),
                            (imported ? std::string() : imported.failure().detail));
      SQLite::Database db(path, SQLite::OPEN_READONLY);
      store_model model(db);
      int new_proxies = 0;
      for (int report = 0; report < 14; ++report) {
        // Mostly two detectors taking proxies from each other, now and then a whole
        // topology (no detector) and a report repeated.
        static const std::vector<std::string> detectors{"det-a", "det-b", "det-a", "det-b", ""};
        const auto& detector = detectors[rng() % detectors.size()];
        const auto t = random_report(model, rng, detector, new_proxies);
        BOOST_TEST_CONTEXT("report " << report << " from '" << detector << "', " << t.proxies.size()
                                     << " proxies") {
          const auto expected_unknown = model.apply(t);
          const auto unknown = data.replace_topology(t);
          BOOST_REQUIRE_MESSAGE(unknown.has_value(),
                                (unknown ? std::string() : unknown.failure().detail));
          BOOST_TEST(*unknown == expected_unknown, boost::test_tools::per_element());
          BOOST_TEST((store_model::proxies_of(db) == model.proxies()));
          BOOST_TEST((store_model::hops_of(db) == model.hops()));
          BOOST_TEST((stored_index(db) == expected_index(db, model)));
          // The same report again changes nothing.
          if (rng() % 4 == 0 && !detector.empty()) {
            const auto again = data.replace_topology(t);
            BOOST_REQUIRE(again.has_value());
            BOOST_TEST((*again == model.apply(t)));
            BOOST_TEST((store_model::hops_of(db) == model.hops()));
            BOOST_TEST((stored_index(db) == expected_index(db, model)));
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
