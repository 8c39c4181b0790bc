// A report's hop changes written as sets: a detector's first report after a fleet import
// drops the hops of ~13,000 of 100,000 devices, and one delete per device and table, at
// random places in tables much larger than SQLite's page cache, held the store's writer
// 0.3 s. The changes go to a temporary table, and each table is written once, in its
// index's order.
#include "distribution/store/hop_changes.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <tuple>

namespace headroom::distribution {

void hop_changes::write() {
  if (changes_.empty()) return;
  fill_table();
  const auto added = added_hops();
  // Each statement is driven by the changes (a scan of the small table, lookups into the
  // large ones): EXPLAIN QUERY PLAN shows SEARCH on proxy_jobs' and device_proxies' keys.
  db_.exec(
      "DELETE FROM proxy_jobs WHERE (proxy, start, job) IN (SELECT c.proxy, j.start, j.pos "
      "FROM temp.topology_changes c CROSS JOIN jobs j ON j.device = c.device); "
      "DELETE FROM device_proxies WHERE (proxy, device) IN "
      "(SELECT proxy, device FROM temp.topology_changes);");
  SQLite::Statement insert(db_, "INSERT INTO device_proxies (device, hop, proxy) VALUES (?, ?, ?)");
  for (const auto& h : added) {
    insert.bind(1, h.device);
    insert.bind(2, h.number);
    insert.bind(3, h.proxy);
    insert.exec();
    insert.reset();
  }
  // Sorted as the index is, so that SQLite appends instead of inserting at random.
  db_.exec(
      "INSERT OR IGNORE INTO proxy_jobs (proxy, start, job, finish) "
      "SELECT c.proxy, j.start, j.pos, j.start + j.duration_s FROM temp.topology_changes c "
      "CROSS JOIN jobs j ON j.device = c.device WHERE c.wanted > 0 ORDER BY 1, 2, 3; "
      "DELETE FROM temp.topology_changes;");
  changes_.clear();
}

void hop_changes::fill_table() {
  // Created once per connection; a rolled-back report takes its rows (and a creation) with it.
  db_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS topology_changes (proxy INTEGER NOT NULL, "
      "device INTEGER NOT NULL, wanted INTEGER NOT NULL, PRIMARY KEY (proxy, device)) "
      "WITHOUT ROWID");
  auto sorted = changes_;
  std::sort(sorted.begin(), sorted.end(), [](const change& a, const change& b) {
    return std::tie(a.proxy, a.device) < std::tie(b.proxy, b.device);
  });
  // Many rows per statement: one statement per row cost 12 ms of a 130 ms report.
  constexpr std::size_t rows_per_insert = 100;
  const auto insert_of = [this](std::size_t rows) {
    std::string sql = "INSERT INTO temp.topology_changes VALUES (?, ?, ?)";
    for (std::size_t i = 1; i < rows; ++i) sql += ", (?, ?, ?)";
    return SQLite::Statement(db_, sql);
  };
  const auto insert = [&sorted](SQLite::Statement& s, std::size_t first) {
    const auto rows = static_cast<std::size_t>(s.getBindParameterCount()) / 3;
    for (std::size_t i = 0; i < rows; ++i) {
      const auto& c = sorted[first + i];
      const auto at = static_cast<int>(3 * i);
      s.bind(at + 1, c.proxy);
      s.bind(at + 2, c.device);
      s.bind(at + 3, c.wanted);
    }
    s.exec();
    s.reset();
  };
  std::size_t first = 0;
  if (sorted.size() >= rows_per_insert) {
    auto full = insert_of(rows_per_insert);
    for (; first + rows_per_insert <= sorted.size(); first += rows_per_insert) insert(full, first);
  }
  if (first < sorted.size()) {
    auto rest = insert_of(sorted.size() - first);
    insert(rest, first);
  }
}

std::vector<hop_changes::hop> hop_changes::added_hops() {
  // The hops, as stored now, of the devices that get some.
  SQLite::Statement s(db_,
                      "SELECT device, hop, proxy FROM device_proxies WHERE device IN "
                      "(SELECT device FROM temp.topology_changes WHERE wanted > 0) ORDER BY 1, 2");
  std::vector<hop> stored;
  while (s.executeStep())
    stored.push_back(
        {s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64()});
  // The changes by device, each device's in the order they were added.
  std::vector<std::size_t> order(changes_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    return changes_[a].device < changes_[b].device;
  });
  std::vector<hop> out, path;
  auto next_stored = stored.begin();
  for (auto first = order.begin(); first != order.end();) {
    const auto device = changes_[*first].device;
    const auto last = std::find_if(first, order.end(),
                                   [&](std::size_t i) { return changes_[i].device != device; });
    const bool adds =
        std::any_of(first, last, [&](std::size_t i) { return changes_[i].wanted > 0; });
    if (adds) {
      // The device's path as each change leaves it, in turn: its hops through the proxy
      // go, and the wanted ones follow the last hop it has then (numbered as the stored
      // hops are, from 0).
      path.clear();
      while (next_stored != stored.end() && next_stored->device < device) ++next_stored;
      for (; next_stored != stored.end() && next_stored->device == device; ++next_stored)
        path.push_back(*next_stored);
      for (auto i = first; i != last; ++i) {
        const auto& c = changes_[*i];
        std::erase_if(path, [&](const hop& h) { return h.proxy == c.proxy; });
        for (int n = 0; n < c.wanted; ++n)
          path.push_back({device, path.empty() ? 0 : path.back().number + 1, c.proxy});
      }
      // Of which the changed proxies' hops are written; the others stay as stored.
      for (const auto& h : path)
        if (std::any_of(first, last, [&](std::size_t i) { return changes_[i].proxy == h.proxy; }))
          out.push_back(h);
    }
    first = last;
  }
  return out;
}

}  // namespace headroom::distribution
