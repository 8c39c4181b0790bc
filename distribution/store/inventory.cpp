// Customers, devices, proxies and their topology, packages, service schedules.
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "distribution/store/internal.hpp"

namespace headroom::distribution {
namespace {

using json = nlohmann::json;
using distribution_api::customer_record;
using distribution_api::device_record;
using distribution_api::service_record;
using distribution_api::topology_record;

/// A row of `pos, id, version, size_bytes, sha256`.
stored<hosted_package> read_package(SQLite::Statement& s) {
  stored<hosted_package> row;
  row.pos = s.getColumn(0).getInt64();
  auto& p = row.record.package;
  p.id = s.getColumn(1).getString();
  p.version = s.getColumn(2).getString();
  p.size_bytes = s.getColumn(3).getInt64();
  if (!s.getColumn(4).isNull()) row.record.sha256 = s.getColumn(4).getString();
  return row;
}

/// The proxies in storage order, without their devices; `at` (if given) maps a proxy's
/// position to its index in the answer.
std::vector<distribution_api::topology_proxy> read_proxies(
    SQLite::Database& db, std::unordered_map<std::int64_t, std::size_t>* at) {
  std::vector<distribution_api::topology_proxy> out;
  SQLite::Statement proxies(db, "SELECT pos, id, capacity, threshold FROM proxies ORDER BY pos");
  while (proxies.executeStep()) {
    if (at) (*at)[proxies.getColumn(0).getInt64()] = out.size();
    out.push_back({proxies.getColumn(1).getString(),
                   proxies.getColumn(2).getInt(),
                   proxies.getColumn(3).getInt(),
                   {}});
  }
  return out;
}

/// Adds each listed device's proxies in hop order. A page of neighbouring devices (the
/// whole list a detector pages through) reads its hops in one range: a lookup per device
/// made the hops half of the page's time. A sparse page (a filtered list) looks them up
/// device by device.
void add_proxies(SQLite::Database& db, std::vector<stored<device_record>>& items) {
  if (items.empty()) return;
  const std::int64_t first = items.front().pos, last = items.back().pos;
  if (last - first < 4 * static_cast<std::int64_t>(items.size())) {
    SQLite::Statement hops(
        db,
        "SELECT h.device, p.id FROM device_proxies h JOIN proxies p ON "
        "p.pos = h.proxy WHERE h.device BETWEEN ? AND ? ORDER BY h.device, h.hop");
    hops.bind(1, first);
    hops.bind(2, last);
    auto item = items.begin();
    while (hops.executeStep()) {
      const auto device = hops.getColumn(0).getInt64();
      while (item != items.end() && item->pos < device) ++item;
      if (item == items.end()) break;
      if (item->pos == device) item->record.proxies.push_back(hops.getColumn(1).getString());
    }
    return;
  }
  SQLite::Statement hops(db,
                         "SELECT p.id FROM device_proxies h JOIN proxies p ON p.pos = h.proxy "
                         "WHERE h.device = ? ORDER BY h.hop");
  for (auto& d : items) {
    hops.bind(1, static_cast<std::int64_t>(d.pos));
    while (hops.executeStep()) d.record.proxies.push_back(hops.getColumn(0).getString());
    hops.reset();
  }
}

}  // namespace

domain::expected<page<stored<customer_record>>, failure> store::customers(std::int64_t after,
                                                                          int limit) {
  return guarded("listing customers",
                 [&]() -> domain::expected<page<stored<customer_record>>, failure> {
                   pool::lease lease(*readers_);
                   SQLite::Statement s(lease.db(),
                                       "SELECT pos, id, services, time_zone, maintenance_windows "
                                       "FROM customers WHERE pos > ? ORDER BY pos LIMIT ?");
                   s.bind(1, static_cast<std::int64_t>(after));
                   s.bind(2, limit + 1);
                   page<stored<customer_record>> out;
                   while (s.executeStep()) {
                     stored<customer_record> row;
                     row.pos = s.getColumn(0).getInt64();
                     row.record.id = s.getColumn(1).getString();
                     row.record.services =
                         json::parse(s.getColumn(2).getString()).get<std::vector<std::string>>();
                     row.record.time_zone = s.getColumn(3).getString();
                     for (const auto& w : windows_from_text(s.getColumn(4).getString()))
                       row.record.maintenance_windows.push_back({w.from_minute, w.to_minute});
                     out.items.push_back(std::move(row));
                   }
                   trim_page(out, limit);
                   return out;
                 });
}

domain::expected<page<stored<device_record>>, failure> store::devices(const device_filter& filter) {
  return guarded(
      "listing devices", [&]() -> domain::expected<page<stored<device_record>>, failure> {
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
        bind_text(4, filter.mode ? std::optional<std::string>(domain::to_string(*filter.mode))
                                 : std::nullopt);
        s.bind(5, filter.limit + 1);
        page<stored<device_record>> out;
        while (s.executeStep())
          out.items.push_back({s.getColumn(0).getInt64(),
                               {s.getColumn(1).getString(),
                                s.getColumn(2).getString(),
                                s.getColumn(3).getString(),
                                mode_column(s.getColumn(4)),
                                {}}});
        trim_page(out, filter.limit);
        add_proxies(db, out.items);
        return out;
      });
}

domain::expected<std::vector<distribution_api::topology_proxy>, failure> store::proxies() {
  return guarded("listing proxies",
                 [&]() -> domain::expected<std::vector<distribution_api::topology_proxy>, failure> {
                   pool::lease lease(*readers_);
                   return read_proxies(lease.db(), nullptr);
                 });
}

domain::expected<topology_record, failure> store::topology() {
  return guarded("reading the topology", [&]() -> domain::expected<topology_record, failure> {
    pool::lease lease(*readers_);
    auto& db = lease.db();
    topology_record out;
    std::unordered_map<std::int64_t, std::size_t> at;
    out.proxies = read_proxies(db, &at);
    SQLite::Statement seen(
        db,
        "SELECT h.proxy, d.id FROM device_proxies h JOIN devices d ON d.pos = h.device "
        "ORDER BY h.proxy, d.pos");
    while (seen.executeStep())
      out.proxies[at.at(seen.getColumn(0).getInt64())].devices.push_back(
          seen.getColumn(1).getString());
    return out;
  });
}

domain::expected<page<stored<hosted_package>>, failure> store::packages(std::int64_t after,
                                                                        int limit) {
  return guarded("listing packages",
                 [&]() -> domain::expected<page<stored<hosted_package>>, failure> {
                   pool::lease lease(*readers_);
                   SQLite::Statement s(lease.db(),
                                       "SELECT pos, id, version, size_bytes, sha256 FROM packages "
                                       "WHERE pos > ? ORDER BY pos LIMIT ?");
                   s.bind(1, static_cast<std::int64_t>(after));
                   s.bind(2, limit + 1);
                   page<stored<hosted_package>> out;
                   while (s.executeStep()) out.items.push_back(read_package(s));
                   trim_page(out, limit);
                   return out;
                 });
}

domain::expected<hosted_package, failure> store::package(const std::string& id) {
  return guarded("reading package " + id, [&]() -> domain::expected<hosted_package, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(lease.db(),
                        "SELECT pos, id, version, size_bytes, sha256 FROM packages WHERE id = ?");
    s.bind(1, id);
    if (!s.executeStep()) return failure{failure_kind::not_found, "", "no package '" + id + "'"};
    return read_package(s).record;
  });
}

domain::expected<hosted_package, failure> store::set_package_image(const std::string& id,
                                                                   const std::string& version,
                                                                   std::int64_t size,
                                                                   const std::string& sha256) {
  return guarded("storing package " + id, [&]() -> domain::expected<hosted_package, failure> {
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
    return read_package(s).record;
  });
}

domain::expected<page<stored<service_record>>, failure> store::services(std::int64_t after,
                                                                        int limit) {
  return guarded(
      "listing services", [&]() -> domain::expected<page<stored<service_record>>, failure> {
        pool::lease lease(*readers_);
        SQLite::Statement s(lease.db(),
                            "SELECT s.pos, d.id, c.id, s.service, s.first_start, s.every_s, "
                            "s.duration_s FROM services s "
                            "LEFT JOIN devices d ON d.pos = s.device "
                            "LEFT JOIN customers c ON c.pos = s.customer "
                            "WHERE s.pos > ? ORDER BY s.pos LIMIT ?");
        s.bind(1, static_cast<std::int64_t>(after));
        s.bind(2, limit + 1);
        page<stored<service_record>> out;
        while (s.executeStep()) {
          stored<service_record> row;
          row.pos = s.getColumn(0).getInt64();
          auto& v = row.record;
          if (!s.getColumn(1).isNull()) v.device = s.getColumn(1).getString();
          if (!s.getColumn(2).isNull()) v.customer = s.getColumn(2).getString();
          v.service = s.getColumn(3).getString();
          v.first_start = s.getColumn(4).getInt64();
          v.every_s = s.getColumn(5).getInt64();
          v.duration_s = s.getColumn(6).getInt64();
          out.items.push_back(std::move(row));
        }
        trim_page(out, limit);
        return out;
      });
}

}  // namespace headroom::distribution
