// Customers, devices, proxies and their topology, packages, service schedules.
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "distribution/store/internal.hpp"

namespace headroom::distribution {
namespace {

using json = nlohmann::json;

package_record read_package(SQLite::Statement& s) {
  package_record p;
  p.pos = s.getColumn(0).getInt64();
  p.id = s.getColumn(1).getString();
  p.version = s.getColumn(2).getString();
  p.size_bytes = s.getColumn(3).getInt64();
  if (!s.getColumn(4).isNull()) p.sha256 = s.getColumn(4).getString();
  return p;
}

}  // namespace

domain::expected<page<json_row>, failure> store::customers(std::int64_t after, int limit) {
  return guarded("listing customers", [&]() -> domain::expected<page<json_row>, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(
        lease.db(),
        "SELECT pos, id, services, time_zone, maintenance_windows FROM customers WHERE pos > ? "
        "ORDER BY pos LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(after));
    s.bind(2, limit + 1);
    page<json_row> out;
    while (s.executeStep())
      out.items.push_back({s.getColumn(0).getInt64(),
                           {{"id", s.getColumn(1).getString()},
                            {"services", json::parse(s.getColumn(2).getString())},
                            {"time_zone", s.getColumn(3).getString()},
                            {"maintenance_windows", json::parse(s.getColumn(4).getString())}}});
    trim_page(out, limit);
    return out;
  });
}

domain::expected<page<device_record>, failure> store::devices(const device_filter& filter) {
  return guarded("listing devices", [&]() -> domain::expected<page<device_record>, failure> {
    pool::lease lease(*readers_);
    auto& db = lease.db();
    SQLite::Statement s(
        db,
        "SELECT d.pos, d.id, c.id, d.model, d.mode FROM devices d JOIN customers c ON c.pos = "
        "d.customer "
        "WHERE d.pos > ?1 AND (?2 IS NULL OR c.id = ?2) AND (?3 IS NULL OR d.model = ?3) "
        "AND (?4 IS NULL OR d.mode = ?4) ORDER BY d.pos LIMIT ?5");
    s.bind(1, static_cast<std::int64_t>(filter.after));
    const auto bind_text = [&](int i, const std::optional<std::string>& v) {
      v ? s.bind(i, *v) : s.bind(i);
    };
    bind_text(2, filter.customer);
    bind_text(3, filter.model);
    bind_text(4, filter.mode);
    s.bind(5, filter.limit + 1);
    page<device_record> out;
    while (s.executeStep())
      out.items.push_back({s.getColumn(0).getInt64(),
                           s.getColumn(1).getString(),
                           s.getColumn(2).getString(),
                           s.getColumn(3).getString(),
                           s.getColumn(4).getString(),
                           {}});
    trim_page(out, filter.limit);
    SQLite::Statement hops(
        db,
        "SELECT p.id FROM device_proxies h JOIN proxies p ON p.pos = h.proxy WHERE h.device = ? "
        "ORDER BY h.hop");
    for (auto& d : out.items) {
      hops.bind(1, static_cast<std::int64_t>(d.pos));
      while (hops.executeStep()) d.proxies.push_back(hops.getColumn(0).getString());
      hops.reset();
    }
    return out;
  });
}

domain::expected<std::vector<topology_proxy>, failure> store::topology() {
  return guarded(
      "reading the topology", [&]() -> domain::expected<std::vector<topology_proxy>, failure> {
        pool::lease lease(*readers_);
        auto& db = lease.db();
        std::vector<topology_proxy> out;
        std::unordered_map<std::int64_t, std::size_t> at;
        SQLite::Statement proxies(db,
                                  "SELECT pos, id, capacity, threshold FROM proxies ORDER BY pos");
        while (proxies.executeStep()) {
          at[proxies.getColumn(0).getInt64()] = out.size();
          out.push_back({proxies.getColumn(1).getString(),
                         proxies.getColumn(2).getInt(),
                         proxies.getColumn(3).getInt(),
                         {}});
        }
        SQLite::Statement seen(
            db,
            "SELECT h.proxy, d.id FROM device_proxies h JOIN devices d ON d.pos = h.device "
            "ORDER BY h.proxy, d.pos");
        while (seen.executeStep())
          out[at.at(seen.getColumn(0).getInt64())].devices.push_back(seen.getColumn(1).getString());
        return out;
      });
}

domain::expected<std::vector<std::string>, failure> store::replace_topology(
    const std::vector<topology_proxy>& proxies) {
  return guarded(
      "replacing the topology", [&]() -> domain::expected<std::vector<std::string>, failure> {
        std::lock_guard lock(write_mutex_);
        auto& db = *writer_;
        SQLite::Transaction tx(db);
        db.exec("DELETE FROM device_proxies; DELETE FROM proxies;");
        SQLite::Statement add(
            db, "INSERT INTO proxies (pos, id, capacity, threshold) VALUES (?, ?, ?, ?)");
        SQLite::Statement find(db, "SELECT pos FROM devices WHERE id = ?");
        SQLite::Statement hop(db,
                              "INSERT INTO device_proxies (device, hop, proxy) VALUES "
                              "(?1, (SELECT count(*) FROM device_proxies WHERE device = ?1), ?2)");
        std::vector<std::string> unknown;
        for (std::size_t i = 0; i < proxies.size(); ++i) {
          add.bind(1, static_cast<std::int64_t>(i));
          add.bind(2, proxies[i].id);
          add.bind(3, proxies[i].capacity);
          add.bind(4, proxies[i].threshold);
          add.exec();
          add.reset();
          for (const auto& device : proxies[i].devices) {
            find.bind(1, device);
            if (!find.executeStep()) {
              unknown.push_back(device);
              find.reset();
              continue;
            }
            const auto pos = find.getColumn(0).getInt64();
            find.reset();
            hop.bind(1, static_cast<std::int64_t>(pos));
            hop.bind(2, static_cast<std::int64_t>(i));
            hop.exec();
            hop.reset();
          }
        }
        tx.commit();
        return unknown;
      });
}

domain::expected<page<package_record>, failure> store::packages(std::int64_t after, int limit) {
  return guarded("listing packages", [&]() -> domain::expected<page<package_record>, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(lease.db(),
                        "SELECT pos, id, version, size_bytes, sha256 FROM packages WHERE pos > ? "
                        "ORDER BY pos LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(after));
    s.bind(2, limit + 1);
    page<package_record> out;
    while (s.executeStep()) out.items.push_back(read_package(s));
    trim_page(out, limit);
    return out;
  });
}

domain::expected<package_record, failure> store::package(const std::string& id) {
  return guarded("reading package " + id, [&]() -> domain::expected<package_record, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(lease.db(),
                        "SELECT pos, id, version, size_bytes, sha256 FROM packages WHERE id = ?");
    s.bind(1, id);
    if (!s.executeStep()) return failure{failure_kind::not_found, "", "no package '" + id + "'"};
    return read_package(s);
  });
}

domain::expected<package_record, failure> store::set_package_image(const std::string& id,
                                                                   const std::string& version,
                                                                   std::int64_t size,
                                                                   const std::string& sha256) {
  return guarded("storing package " + id, [&]() -> domain::expected<package_record, failure> {
    std::lock_guard lock(write_mutex_);
    SQLite::Statement s(
        *writer_,
        "INSERT INTO packages (pos, id, version, size_bytes, sha256) "
        "VALUES ((SELECT coalesce(max(pos), -1) + 1 FROM packages), ?1, ?2, ?3, ?4) "
        "ON CONFLICT (id) DO UPDATE SET version = ?2, size_bytes = ?3, sha256 = ?4 "
        "RETURNING pos, id, version, size_bytes, sha256");
    s.bind(1, id);
    s.bind(2, version);
    s.bind(3, static_cast<std::int64_t>(size));
    s.bind(4, sha256);
    s.executeStep();
    return read_package(s);
  });
}

domain::expected<page<json_row>, failure> store::services(std::int64_t after, int limit) {
  return guarded("listing services", [&]() -> domain::expected<page<json_row>, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(
        lease.db(),
        "SELECT s.pos, d.id, c.id, s.service, s.first_start, s.every_s, s.duration_s FROM services "
        "s "
        "LEFT JOIN devices d ON d.pos = s.device LEFT JOIN customers c ON c.pos = s.customer "
        "WHERE s.pos > ? ORDER BY s.pos LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(after));
    s.bind(2, limit + 1);
    page<json_row> out;
    while (s.executeStep()) {
      json item = json::object();
      if (!s.getColumn(1).isNull()) item["device"] = s.getColumn(1).getString();
      if (!s.getColumn(2).isNull()) item["customer"] = s.getColumn(2).getString();
      item["service"] = s.getColumn(3).getString();
      item["first_start"] = domain::format_utc(s.getColumn(4).getInt64());
      item["every_s"] = s.getColumn(5).getInt64();
      item["duration_s"] = s.getColumn(6).getInt64();
      out.items.push_back({s.getColumn(0).getInt64(), std::move(item)});
    }
    trim_page(out, limit);
    return out;
  });
}

}  // namespace headroom::distribution
