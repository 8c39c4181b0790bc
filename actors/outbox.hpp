#pragma once
// The notifier's outbox: notifications and adjustments written to a SQLite file before
// anything is sent, so that none is lost when the distribution system is down or the
// detector restarts. Entries are numbered in append order (`seq`, never reused) and
// keep an idempotency key built once from the detector id, a random instance id stored
// in the file, and `seq`, so a delivery retried after a restart is recognised by the
// distribution system as the same request.

#include <caf/expected.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/detector_values.hpp"

namespace SQLite {
class Database;
}

namespace headroom::actors {

class outbox {
 public:
  /// The schema this program writes; a file with a higher `user_version` is refused.
  static constexpr int schema_version = 1;

  /// Opens (or creates) the outbox at PATH for DETECTOR_ID. Fails with
  /// detector_errc::storage when the file cannot be opened or is from a newer program.
  static caf::expected<std::unique_ptr<outbox>> open(const std::string& path, const std::string& detector_id);

  ~outbox();
  outbox(const outbox&) = delete;
  outbox& operator=(const outbox&) = delete;

  /// Stores an entry durably and answers it with its `seq` and idempotency key.
  caf::expected<outbox_entry> append(const std::string& proxy, const std::string& kind, const std::string& body);

  /// The oldest pending entry of PROXY.
  caf::expected<std::optional<outbox_entry>> front(const std::string& proxy);

  /// The proxies that have pending entries, by their oldest entry.
  caf::expected<std::vector<std::string>> pending_proxies();

  /// Removes a delivered (or dropped) entry.
  caf::error remove(std::int64_t seq);

  /// Entries not yet delivered.
  caf::expected<std::int64_t> depth();

  /// The random part of every key of this file.
  [[nodiscard]] const std::string& instance() const { return instance_; }

 private:
  outbox(std::unique_ptr<SQLite::Database> db, std::string path, std::string detector_id, std::string instance);

  std::unique_ptr<SQLite::Database> db_;
  std::string path_;
  std::string detector_id_;
  std::string instance_;
};

}  // namespace headroom::actors
