// The store on its own: migrations, and that a file from a newer program is refused.
#include "distribution/store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <random>

#include "distribution/store/schema.hpp"

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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
