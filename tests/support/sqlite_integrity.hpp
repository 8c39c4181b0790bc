#pragma once
// SQLite's own verdict on a database file, for the tests that break its disk.

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace headroom::test {

/// "ok", or what PRAGMA integrity_check found wrong (first line).
inline std::string integrity_of(const std::string& file) {
  SQLite::Database db(file, SQLite::OPEN_READWRITE);
  return db.execAndGet("PRAGMA integrity_check").getString();
}

}  // namespace headroom::test
