// The distribution system over a disk that fails (a SQLite VFS that refuses writes on
// demand, tests/support/faulty_vfs): an adjustment cut by an I/O error at any of its writes
// is answered 500 with what failed and leaves every job as it was; a fleet import cut the
// same way keeps one whole fleet and every index; a full disk is answered
// 507 and loses none of the notifications acknowledged before it; either way the file
// passes SQLite's integrity check and, once the disk is well, the same request is applied
// exactly once.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <set>

#include "tests/support/distribution_fixture.hpp"
#include "tests/support/faulty_vfs.hpp"
#include "tests/support/reliability_line.hpp"
#include "tests/support/sqlite_integrity.hpp"

namespace headroom::test {
namespace {

using nlohmann::json;

/// Installs the VFS before the server opens its store.
struct faulty_disk {
  faulty_vfs& vfs = faulty_vfs::installed();
  faulty_disk() { vfs.heal(); }
};

struct faulty_server : faulty_disk, server_fixture {
  ~faulty_server() { vfs.heal(); }

  [[nodiscard]] std::string store_file() const {
    return config().data_dir + "/distribution.sqlite3";
  }

  /// Sends `request(n)` with its Nth write failing, for N = 0, 1, ... until it needs fewer
  /// writes and is answered 200; `prepare(n)` runs before each on a well disk, `check(n, r)`
  /// after each cut one (answered 500) once the disk is well again. Answers how many were cut.
  template <class Prepare, class Request, class Check>
  std::int64_t cut_at_every_write(Prepare prepare, Request request, Check check,
                                  std::int64_t limit) {
    for (std::int64_t n = 0;; ++n) {
      prepare(n);
      vfs.fail_writes_after(n);
      const auto r = request(n);
      const bool refused = vfs.refused() > 0;
      vfs.heal();
      if (!refused) {
        BOOST_TEST(r.status == 200, r.body);
        return n;
      }
      BOOST_TEST(r.status == 500, r.body);
      check(n, r);
      BOOST_REQUIRE(n < limit);
    }
  }

  /// Each job's start and version.
  std::map<std::string, std::pair<std::string, std::int64_t>> jobs() const {
    std::map<std::string, std::pair<std::string, std::int64_t>> out;
    const auto listed = client().get("/api/v1/jobs?limit=100").json();
    for (const auto& j : listed.at("items")) out[j.at("id")] = {j.at("start"), j.at("version")};
    return out;
  }
};

/// Moves every job one hour later.
std::string move_everything(
    const std::map<std::string, std::pair<std::string, std::int64_t>>& jobs) {
  json moves = json::array();
  for (const auto& [id, at] : jobs)
    moves.push_back({{"job", id},
                     {"from", at.first},
                     {"to", domain::format_utc(*domain::parse_rfc3339(at.first) + 3600)},
                     {"version", at.second}});
  return json{{"source", "det-1"}, {"moves", moves}}.dump();
}

std::map<std::string, std::string> key(const std::string& k) { return {{"Idempotency-Key", k}}; }

const std::string warning =
    R"({"detector": "det-1", "proxy": "px-a", "sent_at": "2026-11-30T12:00:00Z", "windows": []})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_faults, faulty_server)

BOOST_AUTO_TEST_CASE(an_io_error_at_any_write_of_an_adjustment_leaves_every_job_old_or_new) {
  import_small_fleet();
  const auto c = client();
  std::int64_t half = 0, lost = 0, duplicated = 0;
  std::map<std::string, std::pair<std::string, std::int64_t>> before;
  std::string body;
  const auto tries = cut_at_every_write(
      [&](std::int64_t) {
        before = jobs();
        body = move_everything(before);
      },
      [&](std::int64_t n) {
        return c.post("/api/v1/adjustments", body, key("adj-" + std::to_string(n)));
      },
      [&](std::int64_t n, const reply& r) {
        const auto problem = r.json();
        BOOST_TEST(problem.at("status") == 500);
        BOOST_TEST(problem.at("detail").get<std::string>().find(
                       "applying an adjustment: disk I/O error") != std::string::npos,
                   problem.dump());
        BOOST_TEST(integrity_of(store_file()) == "ok");
        const auto after = jobs();
        if (after != before) ++half;
        BOOST_TEST((after == before), "write " << n << " failed, yet jobs changed");
        // The disk is well again: the retry is applied, once.
        const auto retry = c.post("/api/v1/adjustments", body, key("adj-" + std::to_string(n)));
        BOOST_REQUIRE_EQUAL(retry.status, 200);
        BOOST_TEST(retry.json().at("applied") == before.size());
        const auto again = c.post("/api/v1/adjustments", body, key("adj-" + std::to_string(n)));
        BOOST_TEST(again.header("Idempotent-Replayed") == "true");
        for (const auto& [id, at] : jobs()) {
          if (at.second != before.at(id).second + 1)
            ++(at.second > before.at(id).second ? duplicated : lost);
        }
      },
      200);
  BOOST_TEST(tries > 0);
  BOOST_TEST(half == 0);
  BOOST_TEST(lost == 0);
  BOOST_TEST(duplicated == 0);
  print_reliability("write I/O error while the distribution system applies an adjustment", tries,
                    lost, duplicated,
                    "the Nth write of the request fails, N = 0 to " + std::to_string(tries - 1) +
                        " (every write it makes); answered 500 with the cause; " +
                        std::to_string(half) +
                        " half-applied; retry applied once; integrity_check ok");
}

BOOST_AUTO_TEST_CASE(
    an_io_error_at_any_write_of_a_fleet_import_keeps_one_whole_fleet_and_its_indexes) {
  import_small_fleet();
  const auto c = client();
  // The import drops the large tables' indexes and builds them again inside its
  // transaction: a failure at any write must leave them all, and one whole fleet.
  const auto indexes = [&] {
    SQLite::Database db(store_file(), SQLite::OPEN_READONLY);
    SQLite::Statement s(db, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name");
    std::vector<std::string> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getString());
    return out;
  };
  const auto all_indexes = indexes();
  BOOST_REQUIRE(std::count(all_indexes.begin(), all_indexes.end(), "jobs_active_start") == 1);
  auto moved = small_fleet();
  for (auto& j : moved.jobs) j.start += 3600;
  const auto old_fleet = c.get("/api/v1/fleet").body;
  const auto new_fleet = formats::fleet_to_json(moved);
  BOOST_REQUIRE(c.put("/api/v1/fleet", new_fleet).status == 200);
  const auto new_export = c.get("/api/v1/fleet").body;
  const auto tries = cut_at_every_write(
      [&](std::int64_t) {
        BOOST_REQUIRE(c.put("/api/v1/fleet", formats::fleet_to_json(small_fleet())).status == 200);
      },
      [&](std::int64_t) { return c.put("/api/v1/fleet", new_fleet); },
      [&](std::int64_t n, const reply&) {
        BOOST_TEST(integrity_of(store_file()) == "ok");
        BOOST_TEST((indexes() == all_indexes), "write " << n << " failed and an index is gone");
        // Old, or new when only the checkpoint after the commit failed.
        const auto now_fleet = c.get("/api/v1/fleet").body;
        BOOST_TEST((now_fleet == old_fleet || now_fleet == new_export),
                   "write " << n << " failed, and the fleet is neither the old nor the new one");
      },
      2000);
  BOOST_TEST(tries > 0);
}

BOOST_AUTO_TEST_CASE(a_full_disk_is_answered_507_and_keeps_every_acknowledged_notification) {
  import_small_fleet();
  const auto c = client();
  std::int64_t tries = 0, lost = 0, duplicated = 0, acknowledged = 0;
  for (const std::int64_t budget : {0, 8192, 65536, 262144}) {
    vfs.fill_disk_after(budget);
    std::string refused_key;
    for (int n = 0; refused_key.empty(); ++n) {
      const auto k = "n-" + std::to_string(budget) + "-" + std::to_string(n);
      const auto r = c.post("/api/v1/notifications", warning, key(k));
      if (r.status == 201) {
        ++acknowledged;
        continue;
      }
      BOOST_TEST(r.status == 507, r.body);
      BOOST_TEST(r.json().at("detail").get<std::string>().find("disk is full") != std::string::npos,
                 r.body);
      refused_key = k;
      BOOST_REQUIRE(n < 100000);
    }
    ++tries;
    // Reads go on while the disk is full.
    BOOST_TEST(c.get("/api/v1/notifications?limit=1").status == 200);
    vfs.heal();
    BOOST_TEST(integrity_of(store_file()) == "ok");
    BOOST_TEST(c.post("/api/v1/notifications", warning, key(refused_key)).status == 201);
    ++acknowledged;
  }
  // After a restart, every acknowledged notification is there once.
  restart();
  const auto after_restart = client();
  std::int64_t listed = 0;
  std::set<std::int64_t> ids;
  std::string target = "/api/v1/notifications?limit=1000";
  for (;;) {
    const auto page = after_restart.get(target).json();
    for (const auto& n : page.at("items")) {
      ++listed;
      ids.insert(n.at("id").get<std::int64_t>());
    }
    if (!page.contains("next_cursor") || page.at("next_cursor").is_null()) break;
    target = "/api/v1/notifications?limit=1000&cursor=" + page.at("next_cursor").get<std::string>();
  }
  lost = std::max<std::int64_t>(0, acknowledged - listed);
  duplicated = listed - static_cast<std::int64_t>(ids.size()) +
               std::max<std::int64_t>(0, listed - acknowledged);
  BOOST_TEST(listed == acknowledged);
  print_reliability("ENOSPC on the distribution system's store", tries, lost, duplicated,
                    std::to_string(acknowledged) +
                        " acknowledged notifications across 4 disk sizes (0 to 256 kB free); "
                        "answered 507 Storage full; integrity_check ok");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
