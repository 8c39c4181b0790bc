#pragma once
// Turns a store file back into what schema version 5 left, so that tests can check what
// the later migrations make of an older store.

namespace headroom::test {

/// Drops what migrations 6 (the change clock) and 7 (the per-proxy job index) added.
inline constexpr const char* back_to_schema_5 =
    "DROP INDEX jobs_change_seq; ALTER TABLE jobs DROP COLUMN change_seq; "
    "DROP TABLE job_change_clock; "
    "DROP TABLE proxy_jobs; DELETE FROM meta WHERE key = 'longest_job_s'; "
    "DROP INDEX services_device; DROP INDEX services_customer; DROP INDEX jobs_active_start; "
    "DROP INDEX jobs_active_finish; DROP INDEX jobs_active_deadline; PRAGMA user_version = 5";

}  // namespace headroom::test
