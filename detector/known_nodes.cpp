#include "detector/known_nodes.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "detector/detector_errors.hpp"

namespace headroom::detector {
namespace {

caf::error storage_error(const std::string& path, const char* doing, const std::string& what) {
  return caf::make_error(detector_errc::storage,
                         "known nodes " + path + ": " + doing + ": " + what);
}

SQLite::Database open_file(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  // A detector of a previous run may still be closing the file (a restart).
  db.setBusyTimeout(5000);
  db.exec("CREATE TABLE IF NOT EXISTS nodes (node_id TEXT PRIMARY KEY) WITHOUT ROWID");
  return db;
}

}  // namespace

caf::expected<std::set<std::string>> read_known_nodes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::set<std::string>{};
  try {
    auto db = open_file(path);
    SQLite::Statement s(db, "SELECT node_id FROM nodes");
    std::set<std::string> out;
    while (s.executeStep()) out.insert(s.getColumn(0).getString());
    return out;
  } catch (const std::exception& e) {
    return storage_error(path, "reading", e.what());
  }
}

caf::error write_known_nodes(const std::string& path, const std::set<std::string>& nodes) {
  try {
    auto db = open_file(path);
    SQLite::Transaction tx(db);
    db.exec("DELETE FROM nodes");
    SQLite::Statement insert(db, "INSERT INTO nodes (node_id) VALUES (?)");
    for (const auto& node : nodes) {
      insert.bind(1, node);
      insert.exec();
      insert.reset();
    }
    tx.commit();
    return {};
  } catch (const std::exception& e) {
    return storage_error(path, "writing", e.what());
  }
}

}  // namespace headroom::detector
