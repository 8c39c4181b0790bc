#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "distribution/failure.hpp"
#include "domain/fleet.hpp"

namespace SQLite {
class Database;
}

namespace headroom::distribution {

using domain::instant;

/// A delivery job as the distribution system keeps it.
struct job_record {
  std::int64_t pos = 0;  ///< Storage order; the paging cursor.
  std::string id;
  std::string device;
  std::string package;
  instant start = 0;
  std::int64_t duration_s = 0;
  std::optional<instant> deadline;
  std::int32_t priority = 0;
  std::string status = "scheduled";
  std::int64_t version = 1;
  instant updated_at = 0;
};

/// The statuses a job can have; only `scheduled` and `running` jobs load a proxy.
inline const std::vector<std::string>& job_statuses() {
  static const std::vector<std::string> all{"scheduled", "running", "done", "failed", "cancelled"};
  return all;
}

/// Whether `s` is one of job_statuses().
inline bool known_status(const std::string& s) {
  for (const auto& k : job_statuses())
    if (k == s) return true;
  return false;
}

/// Which jobs a list returns: every set field narrows it.
struct job_filter {
  std::optional<std::string> proxy;
  std::optional<std::string> device;
  std::optional<instant> from;  ///< Jobs running at or after this instant...
  std::optional<instant> to;    ///< ...and starting before this one.
  std::optional<instant> updated_since;
  std::int64_t after = -1;  ///< Cursor: only rows stored after this position.
  int limit = 100;
};

/// One page of a list: its rows and, when more follow, the position to continue after.
template <class T>
struct page {
  std::vector<T> items;
  std::optional<std::int64_t> next_after;
};

/// A change to a job; unset fields keep their value. `expected_version` must be current.
struct job_patch {
  std::int64_t expected_version = 0;
  std::optional<instant> start;
  std::optional<std::optional<instant>> deadline;  ///< Set to nullopt clears the deadline.
  std::optional<std::int32_t> priority;
  std::optional<std::string> status;
  std::optional<std::int64_t> duration_s;
};

/// A listed resource already in its JSON shape, with its storage position.
struct json_row {
  std::int64_t pos = 0;
  nlohmann::json value;
};

struct device_record {
  std::int64_t pos = 0;
  std::string id;
  std::string customer;
  std::string model;
  std::string mode;
  std::vector<std::string> proxies;
};

struct device_filter {
  std::optional<std::string> customer;
  std::optional<std::string> model;
  std::optional<std::string> mode;
  std::int64_t after = -1;
  int limit = 100;
};

struct package_record {
  std::int64_t pos = 0;
  std::string id;
  std::string version;
  std::int64_t size_bytes = 0;
  std::optional<std::string> sha256;  ///< Set once the image is uploaded.
};

/// One proxy as a detector reports it, with the devices it has seen.
struct topology_proxy {
  std::string id;
  std::int32_t capacity = 0;
  std::int32_t threshold = 0;
  std::vector<std::string> devices;
};

/// What a detector or script sent, kept verbatim next to the answer given.
struct event_record {
  std::int64_t seq = 0;
  std::string actor;  ///< Detector id, operator name, or "api".
  std::string proxy;  ///< Notifications only.
  instant received_at = 0;
  std::string body;    ///< The request document as JSON text.
  std::string answer;  ///< The response document as JSON text.
  std::optional<instant> acknowledged_at;
  std::string acknowledged_by;
};

/// Identifies a request for idempotent retries (IETF Idempotency-Key draft).
struct idempotency {
  std::string endpoint;
  std::string key;
  std::string body_hash;
};

/// The answer to an idempotent request, as first given.
struct stored_answer {
  int status = 200;
  std::string body;
  bool replayed = false;
};

/// One move of an adjustment: a job from one start to another, valid while the job has `version`.
struct job_move {
  std::string job;
  instant from = 0;
  instant to = 0;
  std::int64_t version = 0;
};

struct notification_input {
  std::string detector;
  std::string proxy;
  std::string body;  ///< The validated request document.
};

struct operator_session {
  std::string name;
  std::string csrf;
  instant expires_at = 0;
};

/// Counts shown by /metrics and /healthz.
struct store_stats {
  std::int64_t customers = 0, devices = 0, proxies = 0, packages = 0, jobs = 0, services = 0,
               notifications = 0, adjustments = 0;
};

/// The SQLite store (WAL mode). Writes are serialised on one connection; reads run on a
/// small pool of connections so that queries do not wait for each other. Every SQLite
/// exception is caught here and becomes a failure naming the operation.
class store {
 public:
  /// Opens or creates the database file and brings its schema to the current version.
  static domain::expected<std::unique_ptr<store>, failure> open(const std::string& file,
                                                                int readers);
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  /// The schema version the file is at (PRAGMA user_version).
  [[nodiscard]] int schema_version();

  // Fleet file: replaced whole, exported whole.
  domain::expected<done, failure> replace_fleet(const domain::fleet& f, instant now);
  domain::expected<domain::fleet, failure> export_fleet(bool active_jobs_only = false);

  // Inventory.
  domain::expected<page<json_row>, failure> customers(std::int64_t after, int limit);
  domain::expected<page<device_record>, failure> devices(const device_filter& filter);
  domain::expected<std::vector<topology_proxy>, failure> topology();
  domain::expected<std::vector<std::string>, failure> replace_topology(
      const std::vector<topology_proxy>& proxies);
  domain::expected<page<package_record>, failure> packages(std::int64_t after, int limit);
  domain::expected<package_record, failure> package(const std::string& id);
  domain::expected<package_record, failure> set_package_image(const std::string& id,
                                                              const std::string& version,
                                                              std::int64_t size,
                                                              const std::string& sha256);
  domain::expected<page<json_row>, failure> services(std::int64_t after, int limit);

  // Jobs.
  domain::expected<page<job_record>, failure> jobs(const job_filter& filter);
  domain::expected<job_record, failure> job(const std::string& id);
  domain::expected<job_record, failure> create_job(const job_record& j, instant now);
  domain::expected<job_record, failure> patch_job(const std::string& id, const job_patch& p,
                                                  instant now);

  // Events, idempotent by key.
  domain::expected<stored_answer, failure> record_notification(const idempotency& key,
                                                               const notification_input& n,
                                                               instant now);
  domain::expected<stored_answer, failure> apply_adjustments(const idempotency& key,
                                                             const std::string& actor,
                                                             const std::string& body,
                                                             const std::vector<job_move>& moves,
                                                             instant now);
  domain::expected<page<event_record>, failure> notifications(std::optional<std::string> proxy,
                                                              std::int64_t after, int limit);
  /// The latest notification per proxy whose windows are not empty and not acknowledged.
  domain::expected<std::vector<event_record>, failure> open_warnings();
  domain::expected<event_record, failure> notification(std::int64_t seq);
  domain::expected<done, failure> acknowledge(std::int64_t seq, const std::string& who,
                                              instant now);
  domain::expected<page<event_record>, failure> adjustments(std::int64_t after, int limit);

  // Operators.
  domain::expected<done, failure> put_operator(const std::string& name,
                                               const std::string& password_hash, instant now);
  domain::expected<std::string, failure> operator_password_hash(const std::string& name);
  domain::expected<done, failure> create_session(const std::string& token_hash,
                                                 const operator_session& s, instant now);
  domain::expected<operator_session, failure> session(const std::string& token_hash, instant now);
  domain::expected<done, failure> end_session(const std::string& token_hash);

  domain::expected<store_stats, failure> stats();

 private:
  struct pool;
  explicit store(std::unique_ptr<SQLite::Database> writer, std::unique_ptr<pool> readers);

  std::mutex write_mutex_;
  std::unique_ptr<SQLite::Database> writer_;
  std::unique_ptr<pool> readers_;
};

}  // namespace headroom::distribution
