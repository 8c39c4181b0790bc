#pragma once
// Shared by the .cpp files of store/ only: the reader pool and the exception boundary.

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <condition_variable>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "distribution/store/store.hpp"

namespace headroom::distribution {

/// Read-only connections handed out one per query.
struct store::pool {
  std::mutex mutex;
  std::condition_variable available;
  std::vector<std::unique_ptr<SQLite::Database>> idle;

  /// Borrows a connection for one scope.
  class lease {
   public:
    explicit lease(pool& p) : pool_(p) {
      std::unique_lock lock(p.mutex);
      p.available.wait(lock, [&] { return !p.idle.empty(); });
      db_ = std::move(p.idle.back());
      p.idle.pop_back();
    }
    ~lease() {
      {
        std::lock_guard lock(pool_.mutex);
        pool_.idle.push_back(std::move(db_));
      }
      pool_.available.notify_one();
    }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    SQLite::Database& db() { return *db_; }

   private:
    pool& pool_;
    std::unique_ptr<SQLite::Database> db_;
  };
};

/// The store's exception boundary: SQLite and JSON exceptions become an internal failure
/// that names the operation; a full disk is told apart, since the operator's fix differs.
/// The transaction of the operation is rolled back, so nothing of it was kept.
template <class F>
auto guarded(const std::string& operation, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_FULL)
      return failure{failure_kind::storage_full, "",
                     operation + ": the store's disk is full (" + e.what() +
                         "); nothing was changed: free space in the data dir and retry"};
    return failure{failure_kind::internal, "", operation + ": " + e.what()};
  } catch (const std::exception& e) {
    return failure{failure_kind::internal, "", operation + ": " + e.what()};
  }
}

/// A read transaction on a reader's connection: one consistent snapshot across the tables
/// for the scope, rolled back at its end.
class read_snapshot {
 public:
  explicit read_snapshot(SQLite::Database& db) : db_(db) { db_.exec("BEGIN"); }
  ~read_snapshot() { db_.exec("ROLLBACK"); }
  read_snapshot(const read_snapshot&) = delete;
  read_snapshot& operator=(const read_snapshot&) = delete;

 private:
  SQLite::Database& db_;
};

/// The horizon the imported fleet file declared (meta 'horizon'), if any.
std::optional<domain::interval> stored_horizon(SQLite::Database& db);

/// `SELECT` and the columns read_job reads, before `FROM`: `first` (the position, or what
/// orders a list) and the job's fields from `j` (jobs), with `device_id` for its device's
/// id (`d.id` from a join on devices, or NULL where the caller fills it in).
std::string job_select(std::string_view first, std::string_view device_id);
/// A row that starts with job_select's columns.
stored<distribution_api::job_record> read_job(SQLite::Statement& s);

// The per-proxy job index (proxy_jobs, schema migration 6: every job under every proxy of
// its device's path, by start). Every write path keeps it in its own transaction
// (store/proxy_index.cpp; a detector's report in store/hop_changes.cpp);
// tests/distribution/proxy_index_test.cpp holds each to a rebuild.

/// Lists the job `id`, as stored now, under the proxies of its device.
void index_job(SQLite::Database& db, const std::string& id);
/// Removes the job `id`, as stored now: before its start or duration changes.
void unindex_job(SQLite::Database& db, const std::string& id);
/// Rebuilds the whole index from the jobs and the hops (after a fleet import or a whole
/// topology).
void reindex_all(SQLite::Database& db);

/// Binds an optional integer as NULL when empty.
inline void bind_optional(SQLite::Statement& s, int index, const std::optional<std::int64_t>& v) {
  if (v)
    s.bind(index, static_cast<std::int64_t>(*v));
  else
    s.bind(index);
}

inline std::optional<std::int64_t> optional_int(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

/// A stored monitoring mode; the store writes only domain::to_string's spellings.
inline domain::monitoring_mode mode_column(const SQLite::Column& c) {
  const auto text = c.getString();
  if (auto mode = domain::parse_monitoring_mode(text)) return *mode;
  throw std::runtime_error("stored monitoring mode '" + text + "' is neither proxy nor direct");
}

/// A customer's maintenance windows as the store keeps them: `[{"from": "HH:MM", "to": ...}]`.
inline std::vector<domain::local_window> windows_from_text(const std::string& text) {
  std::vector<domain::local_window> out;
  for (const auto& w : nlohmann::json::parse(text)) {
    auto from = domain::parse_time_of_day(w.at("from").get<std::string>());
    auto to = domain::parse_time_of_day(w.at("to").get<std::string>());
    if (!from || !to)
      throw std::runtime_error("stored maintenance window is not HH:MM: " + w.dump());
    out.push_back({*from, *to});
  }
  return out;
}

/// Ends a page: `limit + 1` rows are read so that a next cursor is given only when more
/// follow; the cursor is the last row's key (its position, or its sequence number).
template <class T, class Key>
void trim_page(page<T>& p, int limit, Key key) {
  if (static_cast<int>(p.items.size()) > limit) {
    p.items.resize(static_cast<std::size_t>(limit));
    p.next_after = key(p.items.back());
  }
}

/// Takes `count` numbers of the job change clock (inside the caller's transaction) and
/// returns the first.
std::int64_t take_change_seqs(SQLite::Database& db, std::int64_t count);

template <class T>
void trim_page(page<T>& p, int limit) {
  trim_page(p, limit, [](const T& row) { return row.pos; });
}

}  // namespace headroom::distribution
