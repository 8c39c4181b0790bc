// Delivery jobs: filtered, paged lists and versioned changes (optimistic concurrency).
#include "distribution/store/internal.hpp"

namespace headroom::distribution {

namespace {

constexpr const char* jobs_with_devices = "FROM jobs j JOIN devices d ON d.pos = j.device ";

using distribution_api::job_record;

/// A stored status: the store holds only the API's (from the fleet import, create_job and
/// patch_job), so another one means the file was changed behind its back.
distribution_api::job_status status_column(const SQLite::Column& c) {
  const auto text = c.getString();
  if (auto status = distribution_api::parse_job_status(text)) return *status;
  throw std::runtime_error("stored job status '" + text + "' is not one the API knows");
}

const std::string job_columns = job_select("j.pos", "d.id") + jobs_with_devices;

std::optional<job_record> find_job(SQLite::Database& db, const std::string& id) {
  SQLite::Statement s(db, job_columns + "WHERE j.id = ?");
  s.bind(1, id);
  if (!s.executeStep()) return std::nullopt;
  return read_job(s).record;
}

}  // namespace

std::string job_select(std::string_view first, std::string_view device_id) {
  return "SELECT " + std::string(first) + ", j.id, " + std::string(device_id) +
         ", j.package, j.start, j.duration_s, j.deadline, j.priority, j.status, j.version, "
         "j.updated_at, j.change_seq ";
}

stored<job_record> read_job(SQLite::Statement& s) {
  stored<job_record> row;
  row.pos = s.getColumn(0).getInt64();
  auto& j = row.record;
  j.id = s.getColumn(1).getString();
  j.device = s.getColumn(2).getString();
  j.package = s.getColumn(3).getString();
  j.start = s.getColumn(4).getInt64();
  j.duration_s = s.getColumn(5).getInt64();
  j.deadline = optional_int(s.getColumn(6));
  j.priority = s.getColumn(7).getInt();
  j.status = status_column(s.getColumn(8));
  j.version = s.getColumn(9).getInt64();
  j.updated_at = s.getColumn(10).getInt64();
  j.change_seq = s.getColumn(11).getInt64();
  return row;
}

std::int64_t take_change_seqs(SQLite::Database& db, std::int64_t count) {
  SQLite::Statement s(db, "UPDATE job_change_clock SET seq = seq + ? RETURNING seq");
  s.bind(1, count);
  s.executeStep();
  return s.getColumn(0).getInt64() - count + 1;
}

domain::expected<page<stored<job_record>>, failure> store::jobs(const job_filter& filter) {
  return guarded("listing jobs", [&]() -> domain::expected<page<stored<job_record>>, failure> {
    // Only the conditions asked for appear in the query, so that SQLite can use the
    // device and proxy indexes instead of testing every row. The changes after a number
    // of the change clock come in the clock's order, paged by it: a job written again
    // while a client pages moves behind its cursor and is read again, never skipped.
    // By proxy, the proxy's devices lead (CROSS JOIN fixes that order) and their jobs are
    // found by the device index: walking all jobs in storage order would read the whole
    // table for a proxy with few jobs, or for a narrow time window.
    const bool changes = filter.changed_after.has_value();
    const std::string order = changes ? "j.change_seq" : "j.pos";
    std::string sql =
        job_select(order, "d.id") +
        (filter.proxy ? "FROM device_proxies h CROSS JOIN jobs j ON j.device = h.device "
                        "JOIN devices d ON d.pos = j.device "
                        "WHERE h.proxy = (SELECT pos FROM proxies WHERE id = :proxy)"
                      : std::string(jobs_with_devices) + "WHERE true");
    // One bound only: given two, SQLite ranges the index on the first and filters by the
    // second, reading every change since the page's start.
    sql += " AND " + order + " > :after";
    if (filter.device) sql += " AND j.device = (SELECT pos FROM devices WHERE id = :device)";
    if (filter.from) sql += " AND j.start + j.duration_s > :from";
    if (filter.to) sql += " AND j.start < :to";
    if (filter.updated_since) sql += " AND j.updated_at >= :updated_since";
    sql += " ORDER BY " + order + " LIMIT :limit";
    pool::lease lease(*readers_);
    SQLite::Statement s(lease.db(), sql);
    s.bind(":after", changes ? std::max(filter.after, *filter.changed_after) : filter.after);
    if (filter.proxy) s.bind(":proxy", *filter.proxy);
    if (filter.device) s.bind(":device", *filter.device);
    if (filter.from) s.bind(":from", static_cast<std::int64_t>(*filter.from));
    if (filter.to) s.bind(":to", static_cast<std::int64_t>(*filter.to));
    if (filter.updated_since)
      s.bind(":updated_since", static_cast<std::int64_t>(*filter.updated_since));
    s.bind(":limit", filter.limit + 1);
    page<stored<job_record>> out;
    while (s.executeStep()) out.items.push_back(read_job(s));
    trim_page(out, filter.limit);
    return out;
  });
}

domain::expected<job_record, failure> store::job(const std::string& id) {
  return guarded("reading job " + id, [&]() -> domain::expected<job_record, failure> {
    pool::lease lease(*readers_);
    auto j = find_job(lease.db(), id);
    if (!j) return failure{failure_kind::not_found, "", "no job '" + id + "'"};
    return *j;
  });
}

domain::expected<job_record, failure> store::create_job(const job_record& j, instant now) {
  return guarded("creating job " + j.id, [&]() -> domain::expected<job_record, failure> {
    std::lock_guard lock(write_mutex_);
    auto& db = *writer_;
    SQLite::Transaction tx(db);
    if (find_job(db, j.id))
      return failure{failure_kind::conflict, "id", "a job '" + j.id + "' exists already"};
    SQLite::Statement device(db, "SELECT pos FROM devices WHERE id = ?");
    device.bind(1, j.device);
    if (!device.executeStep())
      return failure{failure_kind::invalid, "device", "no device '" + j.device + "'"};
    SQLite::Statement s(
        db,
        "INSERT INTO jobs (pos, id, device, package, start, duration_s, deadline, priority, "
        "status, version, updated_at, change_seq) VALUES "
        "((SELECT coalesce(max(pos), -1) + 1 FROM jobs), ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
    s.bind(1, j.id);
    s.bind(2, device.getColumn(0).getInt64());
    s.bind(3, j.package);
    s.bind(4, static_cast<std::int64_t>(j.start));
    s.bind(5, static_cast<std::int64_t>(j.duration_s));
    bind_optional(s, 6, j.deadline);
    s.bind(7, j.priority);
    s.bind(8, distribution_api::to_string(j.status));
    s.bind(9, static_cast<std::int64_t>(now));
    s.bind(10, take_change_seqs(db, 1));
    s.exec();
    index_job(db, j.id);
    auto created = find_job(db, j.id);
    tx.commit();
    return *created;
  });
}

domain::expected<job_record, failure> store::patch_job(const std::string& id,
                                                       const distribution_api::job_patch& p,
                                                       instant now) {
  return guarded("changing job " + id, [&]() -> domain::expected<job_record, failure> {
    std::lock_guard lock(write_mutex_);
    auto& db = *writer_;
    SQLite::Transaction tx(db);
    auto current = find_job(db, id);
    if (!current) return failure{failure_kind::not_found, "", "no job '" + id + "'"};
    if (current->version != p.expected_version)
      return failure{failure_kind::conflict, "version",
                     "job '" + id + "' is at version " + std::to_string(current->version) +
                         ", not " + std::to_string(p.expected_version) +
                         ": read it again and retry"};
    auto next = *current;
    if (p.start) next.start = *p.start;
    if (p.deadline) next.deadline = *p.deadline;
    if (p.priority) next.priority = *p.priority;
    if (p.status) next.status = *p.status;
    if (p.duration_s) next.duration_s = *p.duration_s;
    unindex_job(db, id);
    SQLite::Statement s(
        db,
        "UPDATE jobs SET start = ?, duration_s = ?, deadline = ?, priority = ?, status = ?, "
        "version = version + 1, updated_at = ?, change_seq = ? WHERE id = ?");
    s.bind(1, static_cast<std::int64_t>(next.start));
    s.bind(2, static_cast<std::int64_t>(next.duration_s));
    bind_optional(s, 3, next.deadline);
    s.bind(4, next.priority);
    s.bind(5, distribution_api::to_string(next.status));
    s.bind(6, static_cast<std::int64_t>(now));
    s.bind(7, take_change_seqs(db, 1));
    s.bind(8, id);
    s.exec();
    index_job(db, id);
    auto changed = find_job(db, id);
    tx.commit();
    return *changed;
  });
}

}  // namespace headroom::distribution
