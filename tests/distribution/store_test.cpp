// The store on its own: migrations, and that a file from a newer program is refused.
#include "distribution/store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <random>

#include "distribution/store/schema.hpp"
#include "tests/support/fleet_builder.hpp"
#include "tests/support/schema_v5.hpp"

namespace headroom::test {
namespace {

struct temp_file {
  temp_file() {
    std::random_device seed;
    path = (std::filesystem::temp_directory_path() /
            ("headroom-store-" + std::to_string(seed()) + ".sqlite3"))
               .string();
  }
  ~temp_file() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  std::string path;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(distribution_store)

BOOST_AUTO_TEST_CASE(a_new_file_is_migrated_to_the_latest_version_in_wal_mode) {
  temp_file f;
  auto s = distribution::store::open(f.path, 1);
  BOOST_REQUIRE(s.has_value());
  BOOST_TEST((*s)->schema_version() == distribution::latest_schema_version());
  SQLite::Database db(f.path, SQLite::OPEN_READONLY);
  BOOST_TEST(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

BOOST_AUTO_TEST_CASE(an_older_file_gets_the_missing_migrations_only) {
  temp_file f;
  {
    SQLite::Database db(f.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); PRAGMA user_version = 0");
  }
  // Version 0 with a table the first migration creates: migration 1 must fail, whole.
  auto clash = distribution::store::open(f.path, 1);
  BOOST_REQUIRE(!clash.has_value());
  BOOST_TEST(clash.failure().detail.find("meta") != std::string::npos);
  {
    SQLite::Database db(f.path, SQLite::OPEN_READWRITE);
    db.exec("DROP TABLE meta");
  }
  auto s = distribution::store::open(f.path, 1);
  BOOST_REQUIRE(s.has_value());
  s->reset();
  auto again = distribution::store::open(f.path, 1);
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST((*again)->schema_version() == distribution::latest_schema_version());
}

BOOST_AUTO_TEST_CASE(a_file_from_a_newer_program_is_refused) {
  temp_file f;
  {
    SQLite::Database db(f.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 99");
  }
  auto s = distribution::store::open(f.path, 1);
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST(s.failure().detail.find("newer") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_change_clock_numbers_old_jobs_in_write_order_and_never_turns_back) {
  temp_file f;
  const auto t0 = at("2026-12-01T00:00:00Z");
  test::fleet_builder fleet({t0, t0 + 86'400});
  fleet.proxy("p1", 10, 5).customer("c1", {"software_distribution"}).device("d1", "c1", {"p1"});
  for (const char* id : {"j1", "j2", "j3"}) fleet.job(id, "d1", t0 + 3600, 600);
  {
    auto s = distribution::store::open(f.path, 1);
    BOOST_REQUIRE(s.has_value());
    BOOST_REQUIRE((*s)->replace_fleet(fleet.get(), t0).has_value());
  }
  {
    // Back to version 5, as a store written before the clock: j2 written last, j1 and j3
    // in the same second.
    SQLite::Database db(f.path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE jobs SET updated_at = updated_at + 60 WHERE id = 'j2'");
    db.exec(test::back_to_schema_5);
  }
  auto s = distribution::store::open(f.path, 1);
  BOOST_REQUIRE(s.has_value());
  const auto seqs = [&](std::int64_t after) {
    distribution::job_filter all;
    all.changed_after = after;
    std::vector<std::pair<std::string, std::int64_t>> out;
    auto rows = (*s)->jobs(all);
    BOOST_REQUIRE_MESSAGE(rows.has_value(), (rows ? "" : rows.failure().detail));
    for (const auto& j : rows->items) out.emplace_back(j.record.id, j.record.change_seq);
    return out;
  };
  using seen = std::vector<std::pair<std::string, std::int64_t>>;
  BOOST_TEST((seqs(0) == seen{{"j1", 1}, {"j3", 2}, {"j2", 3}}));
  BOOST_TEST((*s)->patch_job("j1", {1, t0 + 7200, {}, {}, {}, {}}, t0 + 120).has_value());
  BOOST_TEST((seqs(3) == seen{{"j1", 4}}));
  // A new import replaces every job; their numbers follow the newest.
  BOOST_REQUIRE((*s)->replace_fleet(fleet.get(), t0 + 180).has_value());
  BOOST_TEST((seqs(4) == seen{{"j1", 5}, {"j2", 6}, {"j3", 7}}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
