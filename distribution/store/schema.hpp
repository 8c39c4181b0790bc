#pragma once

namespace SQLite {
class Database;
}

namespace headroom::distribution {

/// The schema version this program writes.
int latest_schema_version();

/// Applies the migrations the database has not seen yet; throws SQLite::Exception or
/// std::runtime_error (for a file written by a newer program), caught by store::open.
void migrate(SQLite::Database& db);

}  // namespace headroom::distribution
