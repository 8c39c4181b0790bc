// The per-proxy job index and what the schedule screen reads through it: one proxy's part
// of the fleet, so that the screen costs what its proxy holds, not what the store holds.
// A proxy's load counts the distinct devices behind it that communicate at once, so it
// depends only on those devices, their customers' contracts, their services and their jobs.
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "distribution/store/internal.hpp"
#include "domain/job_span.hpp"

namespace headroom::distribution {
namespace {

constexpr const char* active = "status IN ('scheduled', 'running')";

/// Raises the bound on job durations ('longest_job_s') to the job's: the range query
/// looks that far back for jobs that started before the range and still run in it. The
/// bound never falls until the next import, which costs a longer scan, never a wrong answer.
void widen_longest(SQLite::Database& db, const std::string& id) {
  SQLite::Statement s(db,
                      "UPDATE meta SET value = max(CAST(value AS INTEGER), "
                      "(SELECT duration_s FROM jobs WHERE id = ?)) WHERE key = 'longest_job_s'");
  s.bind(1, id);
  s.exec();
}

/// read_job's columns and the job's device position (column 12), the device's id left
/// NULL: the devices behind the proxy are read already, and joining them again would cost
/// a lookup per job.
std::string part_job_columns() { return job_select("j.pos", "NULL") + ", j.device "; }

/// Builds proxy_part_of's answer on one reader connection inside a read snapshot.
class part_reader {
 public:
  part_reader(SQLite::Database& db, proxy_part& out) : db_(db), out_(out) {}

  /// The proxy itself; false when there is none of that id.
  bool read_proxy(const std::string& id) {
    SQLite::Statement s(db_, "SELECT pos, capacity, threshold FROM proxies WHERE id = ?");
    s.bind(1, id);
    if (!s.executeStep()) return false;
    proxy_pos_ = s.getColumn(0).getInt64();
    out_.fleet.proxies.push_back({id, s.getColumn(1).getInt(), s.getColumn(2).getInt()});
    return true;
  }

  /// The devices behind the proxy, each with the proxy on its path as often as it is on
  /// the stored path (a device's load counts on every hop), and their customers.
  void read_devices() {
    SQLite::Statement s(db_,
                        "SELECT d.pos, d.id, d.customer, d.mode, count(*) FROM device_proxies h "
                        "JOIN devices d ON d.pos = h.device WHERE h.proxy = ? "
                        "GROUP BY h.device ORDER BY h.device");
    s.bind(1, proxy_pos_);
    while (s.executeStep()) {
      device_index_[s.getColumn(0).getInt64()] =
          static_cast<domain::index_t>(out_.fleet.devices.size());
      domain::device d;
      d.id = s.getColumn(1).getString();
      d.customer = customer(s.getColumn(2).getInt64());
      d.mode = mode_column(s.getColumn(3));
      d.path.assign(static_cast<std::size_t>(s.getColumn(4).getInt64()), 0);
      out_.fleet.devices.push_back(std::move(d));
    }
  }

  /// The services of those devices, and those of their customers.
  void read_services() {
    SQLite::Statement own(db_,
                          "SELECT device, service, first_start, every_s, duration_s FROM services "
                          "WHERE device IN (SELECT device FROM device_proxies WHERE proxy = ?) "
                          "ORDER BY pos");
    own.bind(1, proxy_pos_);
    while (own.executeStep()) {
      auto s = service(own);
      s.device = device_index_.at(own.getColumn(0).getInt64());
      out_.fleet.services.push_back(std::move(s));
    }
    SQLite::Statement shared(db_,
                             "SELECT customer, service, first_start, every_s, duration_s FROM "
                             "services WHERE customer = ? ORDER BY pos");
    for (const auto& [pos, index] : customer_index_) {
      shared.bind(1, pos);
      while (shared.executeStep()) {
        auto s = service(shared);
        s.customer = index;
        out_.fleet.services.push_back(std::move(s));
      }
      shared.reset();
    }
  }

  /// Every job behind the proxy that runs in the range (the index's range of starts from
  /// the longest duration before it), and the active ones among them as the fleet's jobs.
  /// In the index's order: sorting them by position would cost a quarter of the read.
  void read_jobs(domain::interval range) {
    const auto longest =
        db_.execAndGet("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'longest_job_s'")
            .getInt64();
    SQLite::Statement s(db_, part_job_columns() +
                                 "FROM proxy_jobs x CROSS JOIN jobs j ON j.pos = x.job WHERE "
                                 "x.proxy = ? AND x.start >= ? AND x.start < ? AND x.finish > ?");
    s.bind(1, proxy_pos_);
    s.bind(2, static_cast<std::int64_t>(range.start - longest));
    s.bind(3, static_cast<std::int64_t>(range.end));
    s.bind(4, static_cast<std::int64_t>(range.start));
    while (s.executeStep()) {
      const auto device = device_index_.at(s.getColumn(12).getInt64());
      auto row = read_job(s);
      row.record.device = out_.fleet.devices[device].id;
      add_if_active(row, device);
      // A job is listed once per hop, as the job list by proxy joins the hops.
      const auto hops = out_.fleet.devices[device].path.size();
      out_.jobs.insert(out_.jobs.end(), hops - 1, row.record);
      out_.jobs.push_back(std::move(row.record));
    }
  }

  /// The named active jobs behind the proxy that are not in the range.
  void read_also(const std::vector<std::string>& ids) {
    SQLite::Statement s(db_, part_job_columns() + "FROM jobs j WHERE j.id = ?");
    for (const auto& id : ids) {
      s.bind(1, id);
      if (s.executeStep())
        if (const auto device = device_index_.find(s.getColumn(12).getInt64());
            device != device_index_.end()) {
          auto row = read_job(s);
          row.record.device = out_.fleet.devices[device->second].id;
          add_if_active(row, device->second);
        }
      s.reset();
    }
  }

 private:
  domain::index_t customer(std::int64_t pos) {
    const auto [it, added] =
        customer_index_.try_emplace(pos, static_cast<domain::index_t>(out_.fleet.customers.size()));
    if (!added) return it->second;
    SQLite::Statement s(db_, "SELECT id, services FROM customers WHERE pos = ?");
    s.bind(1, pos);
    s.executeStep();
    // What the counting reads of a customer: its contract. Zone and maintenance windows
    // matter only to the adjuster.
    domain::customer c;
    c.id = s.getColumn(0).getString();
    c.services = nlohmann::json::parse(s.getColumn(1).getString()).get<std::vector<std::string>>();
    out_.fleet.customers.push_back(std::move(c));
    return it->second;
  }

  /// A row of `owner, service, first_start, every_s, duration_s`, without its owner.
  static domain::service_schedule service(SQLite::Statement& s) {
    domain::service_schedule out;
    out.service = s.getColumn(1).getString();
    out.first_start = s.getColumn(2).getInt64();
    out.every_s = s.getColumn(3).getInt64();
    out.duration_s = s.getColumn(4).getInt64();
    return out;
  }

  /// Adds an active job to the fleet, once.
  void add_if_active(const stored<distribution_api::job_record>& row, domain::index_t device) {
    using distribution_api::job_status;
    const auto& j = row.record;
    if (j.status != job_status::scheduled && j.status != job_status::running) return;
    if (!listed_.insert(row.pos).second) return;
    out_.fleet.jobs.push_back(
        {j.id, device, j.package, j.start, j.duration_s, j.deadline, j.priority});
  }

  SQLite::Database& db_;
  proxy_part& out_;
  std::int64_t proxy_pos_ = 0;
  std::unordered_map<std::int64_t, domain::index_t> device_index_, customer_index_;
  std::unordered_set<std::int64_t> listed_;  ///< Positions of the fleet's jobs.
};

}  // namespace

void index_job(SQLite::Database& db, const std::string& id) {
  SQLite::Statement s(db,
                      "INSERT OR IGNORE INTO proxy_jobs (proxy, start, job, finish) "
                      "SELECT h.proxy, j.start, j.pos, j.start + j.duration_s FROM jobs j "
                      "JOIN device_proxies h ON h.device = j.device WHERE j.id = ?");
  s.bind(1, id);
  s.exec();
  widen_longest(db, id);
}

void unindex_job(SQLite::Database& db, const std::string& id) {
  SQLite::Statement s(db,
                      "DELETE FROM proxy_jobs WHERE proxy IN (SELECT h.proxy FROM jobs j "
                      "JOIN device_proxies h ON h.device = j.device WHERE j.id = ?1) "
                      "AND start = (SELECT start FROM jobs WHERE id = ?1) "
                      "AND job = (SELECT pos FROM jobs WHERE id = ?1)");
  s.bind(1, id);
  s.exec();
}

void reindex_all(SQLite::Database& db) {
  // Sorted as the index is, so that SQLite appends instead of inserting at random.
  db.exec(
      "DELETE FROM proxy_jobs; "
      "INSERT OR IGNORE INTO proxy_jobs (proxy, start, job, finish) "
      "SELECT h.proxy, j.start, j.pos, j.start + j.duration_s FROM device_proxies h "
      "JOIN jobs j ON j.device = h.device ORDER BY 1, 2, 3; "
      "INSERT OR REPLACE INTO meta (key, value) "
      "VALUES ('longest_job_s', (SELECT coalesce(max(duration_s), 0) FROM jobs));");
}

domain::expected<std::optional<domain::interval>, failure> store::active_horizon() {
  return guarded(
      "reading the horizon", [&]() -> domain::expected<std::optional<domain::interval>, failure> {
        pool::lease lease(*readers_);
        auto& db = lease.db();
        const read_snapshot snapshot(db);
        // Each bound is one step into its partial index (schema migration 6).
        const std::string of_active = std::string(" FROM jobs WHERE ") + active;
        SQLite::Statement s(db, "SELECT EXISTS (SELECT 1" + of_active + "), (SELECT min(start)" +
                                    of_active + "), (SELECT max(start + duration_s)" + of_active +
                                    "), (SELECT max(deadline)" + of_active + ")");
        s.executeStep();
        if (s.getColumn(0).getInt64() == 0) return std::optional<domain::interval>();
        domain::job_span span;
        span.earliest_start = s.getColumn(1).getInt64();
        span.latest_end = s.getColumn(2).getInt64();
        span.latest_deadline = optional_int(s.getColumn(3));
        return std::optional(domain::effective_horizon(stored_horizon(db), span));
      });
}

domain::expected<std::map<std::string, instant>, failure> store::active_starts(
    const std::vector<std::string>& ids) {
  return guarded(
      "reading job starts", [&]() -> domain::expected<std::map<std::string, instant>, failure> {
        pool::lease lease(*readers_);
        SQLite::Statement s(lease.db(),
                            std::string("SELECT start FROM jobs WHERE id = ? AND ") + active);
        std::map<std::string, instant> out;
        for (const auto& id : ids) {
          s.bind(1, id);
          if (s.executeStep()) out[id] = s.getColumn(0).getInt64();
          s.reset();
        }
        return out;
      });
}

domain::expected<proxy_part, failure> store::proxy_part_of(const std::string& proxy,
                                                           domain::interval range,
                                                           const std::vector<std::string>& also) {
  return guarded("reading proxy " + proxy, [&]() -> domain::expected<proxy_part, failure> {
    pool::lease lease(*readers_);
    const read_snapshot snapshot(lease.db());
    proxy_part out;
    part_reader reader(lease.db(), out);
    if (!reader.read_proxy(proxy)) return out;
    reader.read_devices();
    reader.read_services();
    reader.read_jobs(range);
    reader.read_also(also);
    return out;
  });
}

}  // namespace headroom::distribution
