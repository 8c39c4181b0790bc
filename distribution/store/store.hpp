#pragma once
// The reference server's store. It keeps the API's records (distribution_api/records.hpp);
// declared here is only what the server alone knows: where a record is stored (the paging
// cursor), package images, the history of events, operators and their sessions.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "distribution/failure.hpp"
#include "distribution_api/records.hpp"
#include "domain/fleet.hpp"

namespace SQLite {
class Database;
}

namespace headroom::distribution {

using domain::instant;

/// A record of the API with the position the store keeps it at: lists are in storage
/// order, and the position of a page's last item is where the next page starts.
template <class T>
struct stored {
  std::int64_t pos = 0;
  T record;
};

/// A package and, once its image is uploaded, the image's SHA-256 (which names its file).
struct hosted_package {
  distribution_api::package_record package;
  std::optional<std::string> sha256;
};

/// Which jobs a list returns: every set field narrows it.
struct job_filter {
  std::optional<std::string> proxy;
  std::optional<std::string> device;
  std::optional<instant> from;  ///< Jobs running at or after this instant...
  std::optional<instant> to;    ///< ...and starting before this one.
  std::optional<instant> updated_since;
  /// Only jobs written after this number of the change clock, in the clock's order (and
  /// `after` is then a number of the clock).
  std::optional<std::int64_t> changed_after;
  std::int64_t after = -1;  ///< Cursor: only rows stored after this position.
  int limit = 100;
};

/// One page of a list: its rows and, when more follow, the position to continue after.
template <class T>
struct page {
  std::vector<T> items;
  std::optional<std::int64_t> next_after;
};

struct device_filter {
  std::optional<std::string> customer;
  std::optional<std::string> model;
  std::optional<domain::monitoring_mode> mode;
  std::int64_t after = -1;
  int limit = 100;
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

struct operator_session {
  std::string name;
  std::string csrf;
  instant expires_at = 0;
};

/// One proxy's part of the fleet: what its load and its schedule screen depend on.
struct proxy_part {
  /// The proxy alone (index 0, no other proxy), the devices behind it (each path is the
  /// proxy as often as it is on the device's path), their customers (id and services),
  /// the services that concern those devices, and their active jobs that run in the range
  /// or were asked for by id. A fleet without the proxy when there is no such proxy.
  domain::fleet fleet;
  /// Every job behind the proxy that runs in the range, whatever its status, in no
  /// particular order: the same rows as jobs() filtered by the proxy and the range.
  std::vector<distribution_api::job_record> jobs;
};

/// Counts shown by /metrics and /healthz.
struct store_stats {
  std::int64_t customers = 0, devices = 0, proxies = 0, packages = 0, jobs = 0, services = 0,
               notifications = 0, adjustments = 0, idempotency_keys = 0;
};

/// The SQLite store (WAL mode). Writes are serialised on one connection; reads run on a
/// small pool of connections so that queries do not wait for each other. Every SQLite
/// exception is caught here and becomes a failure naming the operation.
class store {
 public:
  /// Opens or creates the database file and brings its schema to the current version.
  /// An idempotency key is kept `idempotency_ttl_s` seconds (24 h by default); every keyed
  /// write first drops the keys older than that, so the table holds about one day of keys.
  static domain::expected<std::unique_ptr<store>, failure> open(
      const std::string& file, int readers, std::int64_t idempotency_ttl_s = 24 * 3600);
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  /// The schema version the file is at (PRAGMA user_version).
  [[nodiscard]] int schema_version();

  // Fleet file: replaced whole, exported whole.
  domain::expected<done, failure> replace_fleet(const domain::fleet& f, instant now);
  domain::expected<domain::fleet, failure> export_fleet(bool active_jobs_only = false);

  // Inventory.
  domain::expected<page<stored<distribution_api::customer_record>>, failure> customers(
      std::int64_t after, int limit);
  domain::expected<page<stored<distribution_api::device_record>>, failure> devices(
      const device_filter& filter);
  domain::expected<distribution_api::topology_record, failure> topology();
  /// Replaces the proxies and which devices sit behind each; answers the unknown device ids.
  domain::expected<std::vector<std::string>, failure> replace_topology(
      const distribution_api::topology_record& t);
  /// The proxies without their devices (the topology's first part), in storage order.
  domain::expected<std::vector<distribution_api::topology_proxy>, failure> proxies();
  domain::expected<page<stored<hosted_package>>, failure> packages(std::int64_t after, int limit);
  domain::expected<hosted_package, failure> package(const std::string& id);
  domain::expected<hosted_package, failure> set_package_image(const std::string& id,
                                                              const std::string& version,
                                                              std::int64_t size,
                                                              const std::string& sha256);
  domain::expected<page<stored<distribution_api::service_record>>, failure> services(
      std::int64_t after, int limit);

  // Jobs.
  domain::expected<page<stored<distribution_api::job_record>>, failure> jobs(
      const job_filter& filter);
  domain::expected<distribution_api::job_record, failure> job(const std::string& id);
  /// Stores a new job at version 1 (its version and update time are the store's).
  domain::expected<distribution_api::job_record, failure> create_job(
      const distribution_api::job_record& j, instant now);
  domain::expected<distribution_api::job_record, failure> patch_job(
      const std::string& id, const distribution_api::job_patch& p, instant now);

  // The schedule screen: one proxy at a time, through the per-proxy job index.
  /// effective_horizon of the fleet export_fleet(true) gives, without loading it; none
  /// when no job is active (scheduled or running).
  domain::expected<std::optional<domain::interval>, failure> active_horizon();
  /// The start of each active job among `ids`; the others are left out.
  domain::expected<std::map<std::string, instant>, failure> active_starts(
      const std::vector<std::string>& ids);
  /// The proxy's part of the fleet for `range`, with the active jobs named in `also`
  /// wherever they run (a move may bring them into the range), read in one snapshot.
  domain::expected<proxy_part, failure> proxy_part_of(const std::string& proxy,
                                                      domain::interval range,
                                                      const std::vector<std::string>& also);

  // Events, idempotent by key; `body` is the request document as it is kept and listed.
  domain::expected<stored_answer, failure> record_notification(
      const idempotency& key, const distribution_api::notification_record& n,
      const std::string& body, instant now);
  domain::expected<stored_answer, failure> apply_adjustments(
      const idempotency& key, const std::string& actor, const std::string& body,
      const std::vector<distribution_api::move_record>& moves, instant now);
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
  explicit store(std::unique_ptr<SQLite::Database> writer, std::unique_ptr<pool> readers,
                 std::int64_t idempotency_ttl_s);

  std::mutex write_mutex_;
  std::unique_ptr<SQLite::Database> writer_;
  std::unique_ptr<pool> readers_;
  std::int64_t idempotency_ttl_s_;
};

}  // namespace headroom::distribution
