#pragma once
// Shared by store/topology_writes.cpp only: the hops a topology report changes, written
// together.

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <vector>

namespace headroom::distribution {

/// Devices whose hops through a proxy a report changes, collected in the report's order and
/// written with a few statements over all of them (device_proxies and the proxy_jobs index
/// rows), inside the caller's transaction. The rows written are those of writing each
/// change in turn, one device at a time: its hops through the proxy and their index rows
/// go, and it gets the wanted number of hops after the hops it has then.
class hop_changes {
 public:
  explicit hop_changes(SQLite::Database& db) : db_(db) {}

  /// The device at `device` gets `wanted` hops through the proxy at `proxy` (0: none).
  /// At most once per proxy and device between two writes.
  void add(std::int64_t proxy, std::int64_t device, int wanted) {
    changes_.push_back({proxy, device, wanted});
  }

  /// Writes the changes added since the last write.
  void write();

 private:
  struct change {
    std::int64_t proxy = 0, device = 0;
    int wanted = 0;
  };
  /// A hop row: (device, hop, proxy).
  struct hop {
    std::int64_t device = 0, number = 0, proxy = 0;
  };

  void fill_table();
  std::vector<hop> added_hops();

  SQLite::Database& db_;
  std::vector<change> changes_;
};

}  // namespace headroom::distribution
