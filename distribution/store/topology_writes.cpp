// Replacing the topology: the whole of it (an operator's or an import's report), or one
// detector's proxies. A detector reports its topology at every start and after every
// change of it, mostly repeating what is stored; its report is applied as the difference,
// so a repeat rewrites nothing. Rewriting every hop and index row of its proxies held the
// store's writer 1.7 s at 100,000 devices, and every schedule change waited behind it.
// The difference is found by device position (the report's ids resolved once) and written
// as sets (store/hop_changes.cpp): a detector's first report after a fleet import changes
// the hops of ~13,000 devices, and a statement per device and table held the writer 0.4 s
// (bench/distribution/topology_report_bench.cpp).
#include <algorithm>
#include <set>
#include <span>
#include <string_view>

#include "distribution/store/hop_changes.hpp"
#include "distribution/store/internal.hpp"

namespace headroom::distribution {
namespace {

using distribution_api::topology_proxy;
using distribution_api::topology_record;

/// A proxy as stored.
struct stored_proxy {
  std::int64_t pos = 0;
  int capacity = 0, threshold = 0;
  std::optional<std::string> reporter;
};

/// A device id as sorted: its first 8 bytes as a number (zero-padded), so that most
/// comparisons are one of numbers, and ids of 8 bytes or fewer are told apart by their
/// lengths after that; longer ones with equal prefixes compare whole. The order is the
/// ids' byte order, which is SQLite's BINARY collation.
struct sort_key {
  explicit sort_key(std::string_view id) : id(id) {
    for (std::size_t i = 0; i < 8; ++i)
      prefix = prefix << 8 | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0U);
  }
  std::uint64_t prefix = 0;
  std::string_view id;
  bool operator<(const sort_key& o) const {
    if (prefix != o.prefix) return prefix < o.prefix;
    if (id.size() <= 8 && o.id.size() <= 8) return id.size() < o.id.size();
    return id < o.id;
  }
  bool operator==(const sort_key& o) const {
    return prefix == o.prefix && id.size() == o.id.size() && (id.size() <= 8 || id == o.id);
  }
};

/// The stored position of every device a report names, read once for the whole report, so
/// that the stored hops are compared by position (reading them with their ids cost a
/// lookup per hop). The mentions are sorted by id and merged with the devices' id index:
/// a hash of 100,000 ids cost more than the rest of a repeated report.
class device_positions {
 public:
  device_positions(SQLite::Database& db, const topology_record& t) {
    std::vector<std::pair<sort_key, std::size_t>> mentions;
    for (const auto& proxy : t.proxies) {
      first_.push_back(mentions.size());
      for (const auto& id : proxy.devices) mentions.emplace_back(sort_key(id), mentions.size());
    }
    first_.push_back(mentions.size());
    positions_.assign(mentions.size(), -1);
    std::sort(mentions.begin(), mentions.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    // A lookup costs about 4 rows of a scan of the ids' index (0.67 and 0.16 us at
    // 100,000 devices): for a report naming many of the devices, the scan; for a few, the
    // lookups.
    const auto devices = db.execAndGet("SELECT coalesce(max(pos), -1) + 1 FROM devices").getInt64();
    auto m = mentions.begin();
    if (static_cast<std::int64_t>(mentions.size()) * lookups_per_scan_row >= devices) {
      SQLite::Statement all(db, "SELECT id, pos FROM devices ORDER BY id");
      while (m != mentions.end() && all.executeStep()) {
        const auto column = all.getColumn(0);
        const sort_key id(
            std::string_view(column.getText(), static_cast<std::size_t>(column.getBytes())));
        while (m != mentions.end() && m->first < id) ++m;
        for (; m != mentions.end() && m->first == id; ++m)
          positions_[m->second] = all.getColumn(1).getInt64();
      }
      return;
    }
    SQLite::Statement one(db, "SELECT pos FROM devices WHERE id = ?");
    while (m != mentions.end()) {
      const auto id = m->first;
      one.bind(1, std::string(id.id));
      const auto pos = one.executeStep() ? one.getColumn(0).getInt64() : -1;
      one.reset();
      for (; m != mentions.end() && m->first == id; ++m) positions_[m->second] = pos;
    }
  }

  /// The positions of the devices of the report's `proxy`-th proxy, in its order (-1: not
  /// stored).
  [[nodiscard]] std::span<const std::int64_t> of(std::size_t proxy) const {
    return {positions_.data() + first_[proxy], first_[proxy + 1] - first_[proxy]};
  }

 private:
  static constexpr std::int64_t lookups_per_scan_row = 4;
  std::vector<std::int64_t> positions_;  ///< By mention, proxy after proxy.
  std::vector<std::size_t> first_;       ///< Each proxy's first mention, and the end.
};

/// One topology write inside the caller's transaction, its statements prepared once.
class topology_writer {
 public:
  explicit topology_writer(SQLite::Database& db)
      : db_(db),
        add_proxy_(db,
                   "INSERT INTO proxies (pos, id, capacity, threshold, reporter) "
                   "VALUES ((SELECT coalesce(max(pos), -1) + 1 FROM proxies), ?, ?, ?, ?) "
                   "RETURNING pos"),
        find_proxy_(db, "SELECT pos, capacity, threshold, reporter FROM proxies WHERE id = ?"),
        set_proxy_(db,
                   "UPDATE proxies SET capacity = ?, threshold = ?, reporter = ? WHERE pos = ?"),
        find_device_(db, "SELECT pos FROM devices WHERE id = ?"),
        hops_(db, "SELECT device FROM device_proxies WHERE proxy = ? ORDER BY device"),
        // After the device's hops added before.
        add_hop_(db,
                 "INSERT INTO device_proxies (device, hop, proxy) VALUES (?1, "
                 "(SELECT coalesce(max(hop), -1) + 1 FROM device_proxies WHERE device = ?1), ?2)") {
  }

  /// A report without a detector: everything anew, in the report's order.
  void replace_all(const topology_record& t) {
    db_.exec("DELETE FROM proxy_jobs; DELETE FROM device_proxies; DELETE FROM proxies;");
    for (const auto& proxy : t.proxies) add_devices(add_proxy(proxy, ""), proxy);
    // One sorted rebuild: cheaper than a proxy at a time.
    reindex_all(db_);
  }

  /// One detector's report: the proxies it no longer names go, the ones it names are
  /// brought to the report (taken over from whoever reported or imported them), other
  /// detectors' proxies stay.
  void apply_report(const topology_record& t) {
    std::set<std::string> named;
    for (const auto& proxy : t.proxies) named.insert(proxy.id);
    SQLite::Statement own(db_, "SELECT pos, id FROM proxies WHERE reporter = ?");
    own.bind(1, t.detector);
    std::vector<std::int64_t> gone;
    while (own.executeStep())
      if (!named.count(own.getColumn(1).getString())) gone.push_back(own.getColumn(0).getInt64());
    for (const auto pos : gone) drop_proxy(pos);
    const device_positions positions(db_, t);
    hop_changes changes(db_);
    std::set<std::int64_t> changed;  // The proxies with changes not yet written.
    for (std::size_t i = 0; i < t.proxies.size(); ++i) {
      const auto& proxy = t.proxies[i];
      const auto stored = find_proxy(proxy.id);
      if (!stored) {
        const auto pos = add_proxy(proxy, t.detector);
        if (update_devices(pos, proxy, positions.of(i), changes, true)) changed.insert(pos);
        continue;
      }
      if (stored->capacity != proxy.capacity || stored->threshold != proxy.threshold ||
          stored->reporter != t.detector)
        set_proxy(stored->pos, proxy, t.detector);
      // A proxy named twice (the API refuses that, the store takes it) is compared with
      // what its first mention left.
      if (changed.count(stored->pos)) {
        changes.write();
        changed.clear();
      }
      if (update_devices(stored->pos, proxy, positions.of(i), changes, false))
        changed.insert(stored->pos);
    }
    changes.write();
  }

  /// The reported devices no device is stored for, once per mention.
  std::vector<std::string> take_unknown() { return std::move(unknown_); }

 private:
  std::optional<std::int64_t> find_device(const std::string& id) {
    find_device_.bind(1, id);
    std::optional<std::int64_t> out;
    if (find_device_.executeStep()) out = find_device_.getColumn(0).getInt64();
    find_device_.reset();
    return out;
  }

  std::optional<stored_proxy> find_proxy(const std::string& id) {
    find_proxy_.bind(1, id);
    std::optional<stored_proxy> out;
    if (find_proxy_.executeStep()) {
      out = stored_proxy{find_proxy_.getColumn(0).getInt64(), find_proxy_.getColumn(1).getInt(),
                         find_proxy_.getColumn(2).getInt(), std::nullopt};
      if (!find_proxy_.getColumn(3).isNull()) out->reporter = find_proxy_.getColumn(3).getString();
    }
    find_proxy_.reset();
    return out;
  }

  /// Adds the proxy, reported by `reporter` (empty: nobody), and answers its position.
  std::int64_t add_proxy(const topology_proxy& proxy, const std::string& reporter) {
    add_proxy_.bind(1, proxy.id);
    add_proxy_.bind(2, proxy.capacity);
    add_proxy_.bind(3, proxy.threshold);
    reporter.empty() ? add_proxy_.bind(4) : add_proxy_.bind(4, reporter);
    add_proxy_.executeStep();
    const auto pos = add_proxy_.getColumn(0).getInt64();
    add_proxy_.reset();
    return pos;
  }

  void set_proxy(std::int64_t pos, const topology_proxy& proxy, const std::string& reporter) {
    set_proxy_.bind(1, proxy.capacity);
    set_proxy_.bind(2, proxy.threshold);
    set_proxy_.bind(3, reporter);
    set_proxy_.bind(4, pos);
    set_proxy_.exec();
    set_proxy_.reset();
  }

  /// Removes the proxy, its hops and its index rows.
  void drop_proxy(std::int64_t proxy) {
    for (const char* sql :
         {"DELETE FROM proxy_jobs WHERE proxy = ?", "DELETE FROM device_proxies WHERE proxy = ?",
          "DELETE FROM proxies WHERE pos = ?"}) {
      SQLite::Statement s(db_, sql);
      s.bind(1, proxy);
      s.exec();
    }
  }

  /// Puts the proxy on the device's path, after the hops it has.
  void add_hop(std::int64_t proxy, std::int64_t device) {
    add_hop_.bind(1, device);
    add_hop_.bind(2, proxy);
    add_hop_.exec();
    add_hop_.reset();
  }

  /// Puts a new proxy's devices behind it.
  void add_devices(std::int64_t proxy, const topology_proxy& reported) {
    for (const auto& id : reported.devices)
      if (const auto device = find_device(id))
        add_hop(proxy, *device);
      else
        unknown_.push_back(id);
  }

  /// The devices behind the proxy, by position, a device once per hop.
  std::vector<std::int64_t> stored_devices(std::int64_t proxy) {
    hops_.bind(1, proxy);
    std::vector<std::int64_t> out;
    while (hops_.executeStep()) out.push_back(hops_.getColumn(0).getInt64());
    hops_.reset();
    return out;
  }

  /// Brings a proxy's devices to the report's: only the devices whose number of hops
  /// through it changed are added to `changes`. The unknown devices are noted once per
  /// mention: in the report's order for a new proxy, by id for a stored one. Answers
  /// whether a device changed.
  bool update_devices(std::int64_t proxy, const topology_proxy& reported,
                      std::span<const std::int64_t> positions, hop_changes& changes, bool added) {
    std::vector<std::int64_t> wanted;
    wanted.reserve(positions.size());
    std::vector<std::string_view> unknown;
    for (std::size_t i = 0; i < positions.size(); ++i)
      if (positions[i] >= 0)
        wanted.push_back(positions[i]);
      else
        unknown.emplace_back(reported.devices[i]);
    if (!added) std::sort(unknown.begin(), unknown.end());
    unknown_.insert(unknown_.end(), unknown.begin(), unknown.end());
    std::sort(wanted.begin(), wanted.end());
    const auto stored = added ? std::vector<std::int64_t>() : stored_devices(proxy);
    if (stored == wanted) return false;
    // Both sorted: each device's run in one against its run in the other.
    auto s = stored.begin();
    auto w = wanted.begin();
    while (s != stored.end() || w != wanted.end()) {
      const auto device = w == wanted.end() || (s != stored.end() && *s < *w) ? *s : *w;
      const auto had = std::find_if(s, stored.end(), [&](auto d) { return d != device; }) - s;
      const auto wants = std::find_if(w, wanted.end(), [&](auto d) { return d != device; }) - w;
      if (had != wants) changes.add(proxy, device, static_cast<int>(wants));
      s += had;
      w += wants;
    }
    return true;
  }

  SQLite::Database& db_;
  SQLite::Statement add_proxy_, find_proxy_, set_proxy_, find_device_, hops_, add_hop_;
  std::vector<std::string> unknown_;
};

}  // namespace

domain::expected<std::vector<std::string>, failure> store::replace_topology(
    const topology_record& t) {
  return guarded("replacing the topology",
                 [&]() -> domain::expected<std::vector<std::string>, failure> {
                   std::lock_guard lock(write_mutex_);
                   SQLite::Transaction tx(*writer_);
                   topology_writer writer(*writer_);
                   if (t.detector.empty())
                     writer.replace_all(t);
                   else
                     writer.apply_report(t);
                   tx.commit();
                   return writer.take_unknown();
                 });
}

}  // namespace headroom::distribution
