// The schema, as a list of migrations. The database records how many it has applied
// (PRAGMA user_version); opening a file applies the rest, each in its own transaction.
// Migrations are only ever appended: an applied one is never edited.
#include "distribution/store/schema.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>

namespace headroom::distribution {
namespace {

constexpr std::array<const char*, 7> migrations{
    // 1: the fleet (as in the fleet file), the topology, events and idempotency keys.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE proxies (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  capacity INTEGER NOT NULL, threshold INTEGER NOT NULL);
CREATE TABLE customers (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, time_zone TEXT NOT NULL,
  services TEXT NOT NULL, maintenance_windows TEXT NOT NULL);
CREATE TABLE devices (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  customer INTEGER NOT NULL REFERENCES customers(pos), model TEXT NOT NULL, mode TEXT NOT NULL);
CREATE INDEX devices_customer ON devices(customer);
CREATE TABLE device_proxies (device INTEGER NOT NULL REFERENCES devices(pos), hop INTEGER NOT NULL,
  proxy INTEGER NOT NULL REFERENCES proxies(pos), PRIMARY KEY (device, hop)) WITHOUT ROWID;
CREATE INDEX device_proxies_proxy ON device_proxies(proxy, device);
CREATE TABLE packages (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, version TEXT NOT NULL,
  size_bytes INTEGER NOT NULL, sha256 TEXT);
CREATE TABLE jobs (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  device INTEGER NOT NULL REFERENCES devices(pos), package TEXT NOT NULL, start INTEGER NOT NULL,
  duration_s INTEGER NOT NULL, deadline INTEGER, priority INTEGER NOT NULL,
  status TEXT NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX jobs_device ON jobs(device, pos);
CREATE INDEX jobs_updated ON jobs(updated_at, pos);
CREATE TABLE services (pos INTEGER PRIMARY KEY, device INTEGER REFERENCES devices(pos),
  customer INTEGER REFERENCES customers(pos), service TEXT NOT NULL, first_start INTEGER NOT NULL,
  every_s INTEGER NOT NULL, duration_s INTEGER NOT NULL);
CREATE TABLE notifications (seq INTEGER PRIMARY KEY, detector TEXT NOT NULL, proxy TEXT NOT NULL,
  received_at INTEGER NOT NULL, body TEXT NOT NULL, answer TEXT NOT NULL,
  acknowledged_at INTEGER, acknowledged_by TEXT);
CREATE INDEX notifications_proxy ON notifications(proxy, seq);
CREATE TABLE adjustments (seq INTEGER PRIMARY KEY, actor TEXT NOT NULL, received_at INTEGER NOT NULL,
  body TEXT NOT NULL, answer TEXT NOT NULL);
CREATE TABLE idempotency_keys (endpoint TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL,
  status INTEGER NOT NULL, answer TEXT NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (endpoint, key)) WITHOUT ROWID;
)sql",
    // 2: operators of the web pages and their sessions (tokens kept only as hashes).
    R"sql(
CREATE TABLE operators (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY,
  operator TEXT NOT NULL REFERENCES operators(name) ON DELETE CASCADE,
  csrf TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX sessions_expiry ON sessions(expires_at);
)sql",
    // 3: a device's jobs indexed with their time span, so that a time-window query by proxy
    // filters inside the index and reads only the matching rows.
    R"sql(
DROP INDEX jobs_device;
CREATE INDEX jobs_device_span ON jobs(device, start, duration_s);
)sql",
    // 4: which detector reported a proxy (NULL: imported with the fleet, or reported
    // without an id), so that several detectors each replace only their own proxies.
    R"sql(
ALTER TABLE proxies ADD COLUMN reporter TEXT;
)sql",
    // 5: idempotency keys expire (server.idempotency_key_hours): found by age.
    R"sql(
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
)sql",
    // 6: every job write takes the next number of a store-wide change clock, so that a
    // client can read the changes after the last one it saw, each once (`changed_after`).
    // The clock lives in its own row: a fleet import empties jobs but never turns it back.
    R"sql(
ALTER TABLE jobs ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET change_seq = o.n
  FROM (SELECT pos, row_number() OVER (ORDER BY updated_at, pos) AS n FROM jobs) AS o
  WHERE o.pos = jobs.pos;
CREATE INDEX jobs_change_seq ON jobs(change_seq);
CREATE TABLE job_change_clock (seq INTEGER NOT NULL);
INSERT INTO job_change_clock SELECT coalesce(max(change_seq), 0) FROM jobs;
)sql",
    // 7: the schedule screen reads one proxy's part of the fleet, not the fleet. proxy_jobs
    // lists, per proxy, every job of a device behind it by start (kept by every write path,
    // store/proxy_index.cpp), so that the jobs of a time range are one range of one index;
    // 'longest_job_s' bounds how long before the range such a job may start. The services
    // are found by device and customer; the active jobs' first start, last end and last
    // deadline (the default horizon) by three small indexes instead of a scan.
    R"sql(
CREATE TABLE proxy_jobs (proxy INTEGER NOT NULL, start INTEGER NOT NULL, job INTEGER NOT NULL,
  finish INTEGER NOT NULL, PRIMARY KEY (proxy, start, job)) WITHOUT ROWID;
INSERT OR IGNORE INTO proxy_jobs (proxy, start, job, finish)
  SELECT h.proxy, j.start, j.pos, j.start + j.duration_s FROM device_proxies h
  JOIN jobs j ON j.device = h.device ORDER BY 1, 2, 3;
INSERT INTO meta (key, value) VALUES ('longest_job_s', (SELECT coalesce(max(duration_s), 0) FROM jobs));
CREATE INDEX services_device ON services(device);
CREATE INDEX services_customer ON services(customer);
CREATE INDEX jobs_active_start ON jobs(start) WHERE status IN ('scheduled', 'running');
CREATE INDEX jobs_active_finish ON jobs(start + duration_s) WHERE status IN ('scheduled', 'running');
CREATE INDEX jobs_active_deadline ON jobs(deadline) WHERE status IN ('scheduled', 'running');
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(migrations.size()); }

void migrate(SQLite::Database& db) {
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version > latest_schema_version())
    throw std::runtime_error("the database is at schema version " + std::to_string(version) +
                             ", newer than this program's " +
                             std::to_string(latest_schema_version()));
  for (; version < latest_schema_version(); ++version) {
    SQLite::Transaction tx(db);
    db.exec(migrations[static_cast<std::size_t>(version)]);
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    tx.commit();
  }
}

}  // namespace headroom::distribution
