#pragma once
// The notifier's outbox: notifications and adjustments written to a SQLite file before
// anything is sent, so that none is lost when the distribution system is down or the
// detector restarts. Entries are numbered in append order (`seq`, never reused) and
// keep an idempotency key built once from the detector id, a random instance id stored
// in the file, and `seq`, so a delivery retried after a restart is recognised by the
// distribution system as the same request. The file also remembers the news of each
// proxy's latest notification (its fingerprint), so that a restarted detector does not
// send the same windows again.

#include <caf/expected.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detector/detector_values.hpp"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace headroom::detector {

class outbox {
 public:
  /// The schema this program writes; a file with a higher `user_version` is refused.
  static constexpr int schema_version = 1;

  /// Opens (or creates) the outbox at PATH for DETECTOR_ID. Fails with
  /// detector_errc::storage when the file cannot be opened or is from a newer program.
  static caf::expected<std::unique_ptr<outbox>> open(const std::string& path,
                                                     const std::string& detector_id);

  ~outbox();
  outbox(const outbox&) = delete;
  outbox& operator=(const outbox&) = delete;

  /// Stores an entry durably and answers it with its `seq` and idempotency key. A
  /// non-empty FINGERPRINT becomes PROXY's latest news, in the same transaction.
  caf::expected<outbox_entry> append(const std::string& proxy, const std::string& kind,
                                     const std::string& body, const std::string& fingerprint = {});

  /// Whether PROXY's latest news (delivered or pending) has this FINGERPRINT.
  caf::expected<bool> is_latest(const std::string& proxy, const std::string& fingerprint);

  /// Whether PROXY has any news on record (delivered or pending).
  caf::expected<bool> has_news(const std::string& proxy);

  /// The oldest pending entry of PROXY.
  caf::expected<std::optional<outbox_entry>> front(const std::string& proxy);

  /// The proxies that have pending entries, by their oldest entry.
  caf::expected<std::vector<std::string>> pending_proxies();

  /// Removes a delivered entry.
  caf::error remove(std::int64_t seq);

  /// Removes an entry that will never be delivered; when it carried its proxy's latest
  /// news, that news is forgotten, so that the same news can be sent again.
  caf::error drop(std::int64_t seq);

  /// Entries not yet delivered.
  caf::expected<std::int64_t> depth();

  /// The random part of every key of this file.
  [[nodiscard]] const std::string& instance() const { return instance_; }

 private:
  outbox(std::unique_ptr<SQLite::Database> db, std::string path, std::string detector_id,
         std::string instance);

  class statement_use;
  /// SQL prepared once per file: the notifier runs several statements per delivery, and
  /// preparing them each time cost as much as running them.
  statement_use prepared(std::string_view sql);

  std::unique_ptr<SQLite::Database> db_;
  /// By SQL text; declared after db_ so that they are finalized before it closes.
  std::unordered_map<std::string_view, std::unique_ptr<SQLite::Statement>> statements_;
  std::string path_;
  std::string detector_id_;
  std::string instance_;
};

}  // namespace headroom::detector
