#include "distribution/store/store.hpp"

#include "distribution/store/internal.hpp"
#include "distribution/store/schema.hpp"

namespace headroom::distribution {
namespace {

std::unique_ptr<SQLite::Database> connect(const std::string& file, int flags) {
  // No mutex of SQLite's own: the writer is used only under write_mutex_, a reader only by
  // the thread holding its lease. With one, every step and column read took and released
  // it (13 % of the server's samples while a detector paged through 100,000 devices).
  auto db = std::make_unique<SQLite::Database>(file, flags | SQLite::OPEN_NOMUTEX, 5000);
  db->exec("PRAGMA foreign_keys = ON");
  // NORMAL is durable across process crashes in WAL mode; only a power loss may drop the last
  // commits.
  db->exec("PRAGMA synchronous = NORMAL");
  return db;
}

}  // namespace

store::store(std::unique_ptr<SQLite::Database> writer, std::unique_ptr<pool> readers,
             std::int64_t idempotency_ttl_s)
    : writer_(std::move(writer)),
      readers_(std::move(readers)),
      idempotency_ttl_s_(idempotency_ttl_s) {}

store::~store() = default;

domain::expected<std::unique_ptr<store>, failure> store::open(const std::string& file, int readers,
                                                              std::int64_t idempotency_ttl_s) {
  return guarded("opening " + file, [&]() -> domain::expected<std::unique_ptr<store>, failure> {
    auto writer = connect(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    const std::string mode = writer->execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal")
      return failure{failure_kind::internal, "",
                     file + ": cannot switch to WAL mode (got " + mode + ")"};
    migrate(*writer);
    auto p = std::make_unique<pool>();
    for (int i = 0; i < std::max(1, readers); ++i)
      p->idle.push_back(connect(file, SQLite::OPEN_READONLY));
    return std::unique_ptr<store>(new store(std::move(writer), std::move(p), idempotency_ttl_s));
  });
}

int store::schema_version() {
  std::lock_guard lock(write_mutex_);
  return writer_->execAndGet("PRAGMA user_version").getInt();
}

domain::expected<store_stats, failure> store::stats() {
  return guarded("reading counts", [&]() -> domain::expected<store_stats, failure> {
    pool::lease lease(*readers_);
    auto& db = lease.db();
    const auto count = [&](const char* table) {
      return db.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
    };
    store_stats s;
    s.customers = count("customers");
    s.devices = count("devices");
    s.proxies = count("proxies");
    s.packages = count("packages");
    s.jobs = count("jobs");
    s.services = count("services");
    s.notifications = count("notifications");
    s.adjustments = count("adjustments");
    s.idempotency_keys = count("idempotency_keys");
    return s;
  });
}

}  // namespace headroom::distribution
