#include "detector/outbox.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdio>
#include <random>

#include "detector/detector_errors.hpp"

namespace headroom::detector {
namespace {

caf::error storage_error(const std::string& path, const std::string& doing,
                         const std::string& what) {
  return caf::make_error(detector_errc::storage, "outbox " + path + ": " + doing + ": " + what);
}

/// Runs BODY; a SQLite exception becomes a storage error naming the file and the step.
template <class F>
auto guarded(const std::string& path, const char* doing, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return storage_error(path, doing, e.what());
  }
}

std::string random_instance() {
  std::random_device rd;
  const auto value = (static_cast<std::uint64_t>(rd()) << 32) | rd();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

outbox_entry read_entry(SQLite::Statement& s) {
  return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(),
          s.getColumn(3).getString(), s.getColumn(4).getString()};
}

/// Creates the tables of a new file, or checks the version of an existing one.
caf::error migrate(SQLite::Database& db, const std::string& path) {
  const int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version > outbox::schema_version)
    return storage_error(
        path, "opening",
        "schema version " + std::to_string(version) + " is newer than this program's " +
            std::to_string(outbox::schema_version) + "; use the newer program or another data dir");
  if (version == outbox::schema_version) return {};
  SQLite::Transaction tx(db);
  db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  // AUTOINCREMENT: a removed entry's seq is never handed out again, so keys stay unique.
  db.exec(
      "CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, proxy TEXT NOT NULL, kind TEXT "
      "NOT NULL, "
      "idempotency_key TEXT NOT NULL DEFAULT '', body TEXT NOT NULL)");
  db.exec("CREATE INDEX entries_by_proxy ON entries (proxy, seq)");
  // The news of each proxy's latest notification and the entry that carried it.
  db.exec(
      "CREATE TABLE latest_news (proxy TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, seq INTEGER "
      "NOT NULL)");
  SQLite::Statement meta(db, "INSERT INTO meta (key, value) VALUES ('instance', ?)");
  meta.bind(1, random_instance());
  meta.exec();
  db.exec("PRAGMA user_version = " + std::to_string(outbox::schema_version));
  tx.commit();
  return {};
}

}  // namespace

/// A prepared statement lent for one use: reset at its end, so that a query stopped
/// before its last row does not keep its read snapshot open.
class outbox::statement_use {
 public:
  explicit statement_use(SQLite::Statement& s) : s_(s) {}
  ~statement_use() { s_.tryReset(); }
  statement_use(const statement_use&) = delete;
  statement_use& operator=(const statement_use&) = delete;
  SQLite::Statement* operator->() const { return &s_; }
  SQLite::Statement& operator*() const { return s_; }

 private:
  SQLite::Statement& s_;
};

outbox::statement_use outbox::prepared(std::string_view sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<SQLite::Statement>(*db_, std::string(sql));
  slot->clearBindings();
  return statement_use(*slot);
}

outbox::outbox(std::unique_ptr<SQLite::Database> db, std::string path, std::string detector_id,
               std::string instance)
    : db_(std::move(db)),
      path_(std::move(path)),
      detector_id_(std::move(detector_id)),
      instance_(std::move(instance)) {}

outbox::~outbox() = default;

caf::expected<std::unique_ptr<outbox>> outbox::open(const std::string& path,
                                                    const std::string& detector_id) {
  return guarded(path, "opening", [&]() -> caf::expected<std::unique_ptr<outbox>> {
    // No mutex of SQLite's own: the notifier alone uses its outbox, one message at a time.
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    // First: a notifier of a previous run may still be closing the file (a restart).
    db->setBusyTimeout(5000);
    db->exec("PRAGMA journal_mode = WAL");
    // Every append must be on disk before the notifier sends it: no entry may be lost.
    db->exec("PRAGMA synchronous = FULL");
    if (auto err = migrate(*db, path)) return err;
    auto instance = db->execAndGet("SELECT value FROM meta WHERE key = 'instance'").getString();
    return std::unique_ptr<outbox>(
        new outbox(std::move(db), path, detector_id, std::move(instance)));
  });
}

caf::expected<outbox_entry> outbox::append(const std::string& proxy, const std::string& kind,
                                           const std::string& body,
                                           const std::string& fingerprint) {
  return guarded(path_, "appending", [&]() -> caf::expected<outbox_entry> {
    SQLite::Transaction tx(*db_);
    outbox_entry e;
    {
      auto insert =
          prepared("INSERT INTO entries (proxy, kind, body) VALUES (?, ?, ?) RETURNING seq");
      insert->bind(1, proxy);
      insert->bind(2, kind);
      insert->bind(3, body);
      insert->executeStep();
      e = {insert->getColumn(0).getInt64(), proxy, kind, "", body};
    }
    e.idempotency_key = detector_id_ + ":" + instance_ + ":" + std::to_string(e.seq);
    auto key = prepared("UPDATE entries SET idempotency_key = ? WHERE seq = ?");
    key->bind(1, e.idempotency_key);
    key->bind(2, e.seq);
    key->exec();
    if (!fingerprint.empty()) {
      auto news =
          prepared("INSERT OR REPLACE INTO latest_news (proxy, fingerprint, seq) VALUES (?, ?, ?)");
      news->bind(1, proxy);
      news->bind(2, fingerprint);
      news->bind(3, e.seq);
      news->exec();
    }
    tx.commit();
    return e;
  });
}

caf::expected<std::optional<outbox_entry>> outbox::front(const std::string& proxy) {
  return guarded(path_, "reading", [&]() -> caf::expected<std::optional<outbox_entry>> {
    auto s = prepared(
        "SELECT seq, proxy, kind, idempotency_key, body FROM entries WHERE proxy = ? "
        "ORDER BY seq LIMIT 1");
    s->bind(1, proxy);
    if (!s->executeStep()) return std::optional<outbox_entry>{};
    return std::optional<outbox_entry>{read_entry(*s)};
  });
}

caf::expected<std::vector<std::string>> outbox::pending_proxies() {
  return guarded(path_, "reading", [&]() -> caf::expected<std::vector<std::string>> {
    auto s = prepared("SELECT proxy FROM entries GROUP BY proxy ORDER BY MIN(seq)");
    std::vector<std::string> out;
    while (s->executeStep()) out.push_back(s->getColumn(0).getString());
    return out;
  });
}

caf::error outbox::remove(std::int64_t seq) {
  return guarded(path_, "removing an entry", [&]() -> caf::error {
    auto s = prepared("DELETE FROM entries WHERE seq = ?");
    s->bind(1, seq);
    s->exec();
    return {};
  });
}

caf::expected<bool> outbox::is_latest(const std::string& proxy, const std::string& fingerprint) {
  return guarded(path_, "reading", [&]() -> caf::expected<bool> {
    auto s = prepared("SELECT fingerprint FROM latest_news WHERE proxy = ?");
    s->bind(1, proxy);
    return s->executeStep() && s->getColumn(0).getString() == fingerprint;
  });
}

caf::expected<bool> outbox::has_news(const std::string& proxy) {
  return guarded(path_, "reading", [&]() -> caf::expected<bool> {
    auto s = prepared("SELECT 1 FROM latest_news WHERE proxy = ?");
    s->bind(1, proxy);
    return s->executeStep();
  });
}

caf::error outbox::drop(std::int64_t seq) {
  return guarded(path_, "dropping an entry", [&]() -> caf::error {
    SQLite::Transaction tx(*db_);
    for (const char* sql :
         {"DELETE FROM entries WHERE seq = ?", "DELETE FROM latest_news WHERE seq = ?"}) {
      auto s = prepared(sql);
      s->bind(1, seq);
      s->exec();
    }
    tx.commit();
    return {};
  });
}

caf::expected<std::int64_t> outbox::depth() {
  return guarded(path_, "counting", [&]() -> caf::expected<std::int64_t> {
    return db_->execAndGet("SELECT COUNT(*) FROM entries").getInt64();
  });
}

}  // namespace headroom::detector
