// PUT /api/v1/fleet and GET /api/v1/fleet: the whole fleet in one transaction.
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "distribution/store/internal.hpp"

namespace headroom::distribution {
namespace {

using json = nlohmann::json;

std::string windows_to_text(const std::vector<domain::local_window>& windows) {
  json out = json::array();
  for (const auto& w : windows)
    out.push_back({{"from", domain::format_time_of_day(w.from_minute)},
                   {"to", domain::format_time_of_day(w.to_minute)}});
  return out.dump();
}

/// An uploaded package image: the version it was uploaded for, its digest and real size.
struct image {
  std::string version;
  std::string sha256;
  std::int64_t size = 0;
};

void insert_fleet(SQLite::Database& db, const domain::fleet& f, instant now,
                  std::int64_t job_version, const std::unordered_map<std::string, image>& images) {
  {
    SQLite::Statement s(db,
                        "INSERT INTO proxies (pos, id, capacity, threshold) VALUES (?, ?, ?, ?)");
    for (std::size_t i = 0; i < f.proxies.size(); ++i) {
      s.bind(1, static_cast<std::int64_t>(i));
      s.bind(2, f.proxies[i].id);
      s.bind(3, f.proxies[i].capacity);
      s.bind(4, f.proxies[i].threshold);
      s.exec();
      s.reset();
    }
  }
  {
    SQLite::Statement s(db,
                        "INSERT INTO customers (pos, id, time_zone, services, maintenance_windows) "
                        "VALUES (?,?,?,?,?)");
    for (std::size_t i = 0; i < f.customers.size(); ++i) {
      const auto& c = f.customers[i];
      s.bind(1, static_cast<std::int64_t>(i));
      s.bind(2, c.id);
      s.bind(3, c.time_zone);
      s.bind(4, json(c.services).dump());
      s.bind(5, windows_to_text(c.maintenance_windows));
      s.exec();
      s.reset();
    }
  }
  {
    SQLite::Statement s(
        db, "INSERT INTO devices (pos, id, customer, model, mode) VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement hop(db, "INSERT INTO device_proxies (device, hop, proxy) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < f.devices.size(); ++i) {
      const auto& d = f.devices[i];
      s.bind(1, static_cast<std::int64_t>(i));
      s.bind(2, d.id);
      s.bind(3, static_cast<std::int64_t>(d.customer));
      s.bind(4, d.model);
      s.bind(5, domain::to_string(d.mode));
      s.exec();
      s.reset();
      for (std::size_t h = 0; h < d.path.size(); ++h) {
        hop.bind(1, static_cast<std::int64_t>(i));
        hop.bind(2, static_cast<std::int64_t>(h));
        hop.bind(3, static_cast<std::int64_t>(d.path[h]));
        hop.exec();
        hop.reset();
      }
    }
  }
  {
    SQLite::Statement s(
        db, "INSERT INTO packages (pos, id, version, size_bytes, sha256) VALUES (?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < f.packages.size(); ++i) {
      const auto& p = f.packages[i];
      s.bind(1, static_cast<std::int64_t>(i));
      s.bind(2, p.id);
      s.bind(3, p.version);
      // An uploaded image stays attached, with its real size, while the package keeps its version.
      const auto uploaded = images.find(p.id);
      if (uploaded != images.end() && uploaded->second.version == p.version) {
        s.bind(4, uploaded->second.size);
        s.bind(5, uploaded->second.sha256);
      } else {
        s.bind(4, static_cast<std::int64_t>(p.size_bytes));
        s.bind(5);
      }
      s.exec();
      s.reset();
    }
  }
  {
    SQLite::Statement s(db,
                        "INSERT INTO jobs (pos, id, device, package, start, duration_s, deadline, "
                        "priority, status, version, updated_at, change_seq) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?)");
    const auto first_seq = take_change_seqs(db, static_cast<std::int64_t>(f.jobs.size()));
    for (std::size_t i = 0; i < f.jobs.size(); ++i) {
      const auto& j = f.jobs[i];
      s.bind(1, static_cast<std::int64_t>(i));
      s.bind(2, j.id);
      s.bind(3, static_cast<std::int64_t>(j.device));
      s.bind(4, j.package);
      s.bind(5, static_cast<std::int64_t>(j.start));
      s.bind(6, static_cast<std::int64_t>(j.duration_s));
      bind_optional(s, 7, j.deadline);
      s.bind(8, j.priority);
      s.bind(9, static_cast<std::int64_t>(job_version));
      s.bind(10, static_cast<std::int64_t>(now));
      s.bind(11, first_seq + static_cast<std::int64_t>(i));
      s.exec();
      s.reset();
    }
  }
  {
    SQLite::Statement s(
        db,
        "INSERT INTO services (pos, device, customer, service, first_start, every_s, duration_s) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < f.services.size(); ++i) {
      const auto& v = f.services[i];
      s.bind(1, static_cast<std::int64_t>(i));
      bind_optional(s, 2, v.device ? std::optional<std::int64_t>(*v.device) : std::nullopt);
      bind_optional(s, 3, v.customer ? std::optional<std::int64_t>(*v.customer) : std::nullopt);
      s.bind(4, v.service);
      s.bind(5, static_cast<std::int64_t>(v.first_start));
      s.bind(6, static_cast<std::int64_t>(v.every_s));
      s.bind(7, static_cast<std::int64_t>(v.duration_s));
      s.exec();
      s.reset();
    }
  }
  SQLite::Statement horizon(db, "INSERT INTO meta (key, value) VALUES ('horizon', ?)");
  horizon.bind(1, f.horizon ? json{f.horizon->start, f.horizon->end}.dump() : std::string("null"));
  horizon.exec();
}

}  // namespace

std::optional<domain::interval> stored_horizon(SQLite::Database& db) {
  const auto horizon = json::parse(
      db.execAndGet("SELECT coalesce((SELECT value FROM meta WHERE key = 'horizon'), 'null')")
          .getString());
  if (!horizon.is_array()) return std::nullopt;
  return domain::interval{horizon[0].get<instant>(), horizon[1].get<instant>()};
}

domain::expected<done, failure> store::replace_fleet(const domain::fleet& f, instant now) {
  return guarded("importing the fleet", [&]() -> domain::expected<done, failure> {
    std::lock_guard lock(write_mutex_);
    auto& db = *writer_;
    SQLite::Transaction tx(db);
    // Every imported job gets a version above any version handed out before, so that a
    // client holding a job from the previous fleet gets 409, never a silent overwrite.
    const auto job_version =
        db.execAndGet("SELECT coalesce(max(version), 0) + 1 FROM jobs").getInt64();
    std::unordered_map<std::string, image> images;
    SQLite::Statement old(
        db, "SELECT id, version, sha256, size_bytes FROM packages WHERE sha256 IS NOT NULL");
    while (old.executeStep())
      images[old.getColumn(0).getString()] = {
          old.getColumn(1).getString(), old.getColumn(2).getString(), old.getColumn(3).getInt64()};
    db.exec(
        "DELETE FROM proxy_jobs; DELETE FROM jobs; DELETE FROM services; DELETE FROM "
        "device_proxies; DELETE FROM devices; DELETE FROM customers; DELETE FROM proxies; DELETE "
        "FROM packages; DELETE FROM meta WHERE key = 'horizon';");
    // The large tables' own indexes are dropped while their rows go in and built again
    // after, one sort each, instead of a million inserts at random places each. Inside
    // the transaction: a failure rolls the drops back too.
    std::vector<std::pair<std::string, std::string>> indexes;
    SQLite::Statement own(db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                          "NULL AND tbl_name IN ('jobs', 'services', 'device_proxies')");
    while (own.executeStep())
      indexes.emplace_back(own.getColumn(0).getString(), own.getColumn(1).getString());
    for (const auto& [name, sql] : indexes) db.exec("DROP INDEX " + name);
    insert_fleet(db, f, now, job_version, images);
    for (const auto& [name, sql] : indexes) db.exec(sql);
    reindex_all(db);
    tx.commit();
    // A whole fleet leaves hundreds of megabytes in the WAL, which every later read would
    // have to look pages up in: fold it into the database file now.
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return done{};
  });
}

domain::expected<domain::fleet, failure> store::export_fleet(bool active_jobs_only) {
  return guarded("exporting the fleet", [&]() -> domain::expected<domain::fleet, failure> {
    pool::lease lease(*readers_);
    auto& db = lease.db();
    const read_snapshot snapshot(db);
    domain::fleet f;
    std::unordered_map<std::int64_t, domain::index_t> proxy_index, customer_index, device_index;
    f.horizon = stored_horizon(db);
    SQLite::Statement proxies(db, "SELECT pos, id, capacity, threshold FROM proxies ORDER BY pos");
    while (proxies.executeStep()) {
      proxy_index[proxies.getColumn(0).getInt64()] = static_cast<domain::index_t>(f.proxies.size());
      f.proxies.push_back({proxies.getColumn(1).getString(), proxies.getColumn(2).getInt(),
                           proxies.getColumn(3).getInt()});
    }
    SQLite::Statement customers(
        db, "SELECT pos, id, time_zone, services, maintenance_windows FROM customers ORDER BY pos");
    while (customers.executeStep()) {
      customer_index[customers.getColumn(0).getInt64()] =
          static_cast<domain::index_t>(f.customers.size());
      domain::customer c;
      c.id = customers.getColumn(1).getString();
      c.time_zone = customers.getColumn(2).getString();
      c.services = json::parse(customers.getColumn(3).getString()).get<std::vector<std::string>>();
      c.maintenance_windows = windows_from_text(customers.getColumn(4).getString());
      f.customers.push_back(std::move(c));
    }
    SQLite::Statement devices(db,
                              "SELECT pos, id, customer, model, mode FROM devices ORDER BY pos");
    while (devices.executeStep()) {
      device_index[devices.getColumn(0).getInt64()] =
          static_cast<domain::index_t>(f.devices.size());
      domain::device d;
      d.id = devices.getColumn(1).getString();
      d.customer = customer_index.at(devices.getColumn(2).getInt64());
      d.model = devices.getColumn(3).getString();
      d.mode = mode_column(devices.getColumn(4));
      f.devices.push_back(std::move(d));
    }
    SQLite::Statement hops(db, "SELECT device, proxy FROM device_proxies ORDER BY device, hop");
    while (hops.executeStep())
      f.devices[device_index.at(hops.getColumn(0).getInt64())].path.push_back(
          proxy_index.at(hops.getColumn(1).getInt64()));
    SQLite::Statement packages(db, "SELECT id, version, size_bytes FROM packages ORDER BY pos");
    while (packages.executeStep())
      f.packages.push_back({packages.getColumn(0).getString(), packages.getColumn(1).getString(),
                            packages.getColumn(2).getInt64()});
    SQLite::Statement jobs(
        db, active_jobs_only
                ? "SELECT id, device, package, start, duration_s, deadline, priority FROM jobs "
                  "WHERE status IN ('scheduled', 'running') ORDER BY pos"
                : "SELECT id, device, package, start, duration_s, deadline, priority FROM jobs "
                  "ORDER BY pos");
    while (jobs.executeStep()) {
      domain::job j;
      j.id = jobs.getColumn(0).getString();
      j.device = device_index.at(jobs.getColumn(1).getInt64());
      j.package = jobs.getColumn(2).getString();
      j.start = jobs.getColumn(3).getInt64();
      j.duration_s = jobs.getColumn(4).getInt64();
      j.deadline = optional_int(jobs.getColumn(5));
      j.priority = jobs.getColumn(6).getInt();
      f.jobs.push_back(std::move(j));
    }
    SQLite::Statement services(db,
                               "SELECT device, customer, service, first_start, every_s, duration_s "
                               "FROM services ORDER BY pos");
    while (services.executeStep()) {
      domain::service_schedule s;
      if (auto d = optional_int(services.getColumn(0))) s.device = device_index.at(*d);
      if (auto c = optional_int(services.getColumn(1))) s.customer = customer_index.at(*c);
      s.service = services.getColumn(2).getString();
      s.first_start = services.getColumn(3).getInt64();
      s.every_s = services.getColumn(4).getInt64();
      s.duration_s = services.getColumn(5).getInt64();
      f.services.push_back(std::move(s));
    }
    return f;
  });
}

}  // namespace headroom::distribution
