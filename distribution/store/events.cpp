// Notifications (claim 4) and adjustments (claim 7), idempotent by key, and their history.
#include <limits>
#include <nlohmann/json.hpp>

#include "distribution/store/internal.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution {
namespace {

using json = nlohmann::json;

/// Drops the keys stored at or before `cutoff`: a retry after that long is a new request.
void forget_expired(SQLite::Database& db, instant cutoff) {
  SQLite::Statement s(db, "DELETE FROM idempotency_keys WHERE created_at <= ?");
  s.bind(1, static_cast<std::int64_t>(cutoff));
  s.exec();
}

/// The first answer to this key, or a failure when the key came with another body.
std::optional<domain::expected<stored_answer, failure>> replay(SQLite::Database& db,
                                                               const idempotency& key) {
  SQLite::Statement s(
      db, "SELECT body_hash, status, answer FROM idempotency_keys WHERE endpoint = ? AND key = ?");
  s.bind(1, key.endpoint);
  s.bind(2, key.key);
  if (!s.executeStep()) return std::nullopt;
  if (s.getColumn(0).getString() != key.body_hash)
    return domain::expected<stored_answer, failure>(
        failure{failure_kind::unprocessable, "Idempotency-Key",
                "key '" + key.key + "' was used before with a different request body"});
  return domain::expected<stored_answer, failure>(
      stored_answer{s.getColumn(1).getInt(), s.getColumn(2).getString(), true});
}

void remember(SQLite::Database& db, const idempotency& key, const stored_answer& answer,
              instant now) {
  SQLite::Statement s(
      db,
      "INSERT INTO idempotency_keys (endpoint, key, body_hash, status, answer, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, key.endpoint);
  s.bind(2, key.key);
  s.bind(3, key.body_hash);
  s.bind(4, answer.status);
  s.bind(5, answer.body);
  s.bind(6, static_cast<std::int64_t>(now));
  s.exec();
}

/// Applies one move inside the caller's transaction, or says why it cannot.
distribution_api::move_result apply_move(SQLite::Database& db,
                                         const distribution_api::move_record& m, instant now) {
  distribution_api::move_result r;
  r.job = m.job;
  SQLite::Statement s(db, "SELECT start, version FROM jobs WHERE id = ?");
  s.bind(1, m.job);
  if (!s.executeStep()) {
    r.status = 404;
    r.detail = "no job '" + m.job + "'";
    return r;
  }
  const auto start = s.getColumn(0).getInt64();
  const auto version = s.getColumn(1).getInt64();
  r.status = 409;
  if (version != m.version) {
    r.detail = "job '" + m.job + "' is at version " + std::to_string(version) + ", not " +
               std::to_string(m.version) + ": it was changed meanwhile";
    return r;
  }
  if (start != m.from) {
    r.detail = "job '" + m.job + "' starts at " + domain::format_utc(start) + ", not " +
               domain::format_utc(m.from);
    return r;
  }
  unindex_job(db, m.job);
  SQLite::Statement u(db,
                      "UPDATE jobs SET start = ?, version = version + 1, updated_at = ?, "
                      "change_seq = ? WHERE id = ?");
  u.bind(1, static_cast<std::int64_t>(m.to));
  u.bind(2, static_cast<std::int64_t>(now));
  u.bind(3, take_change_seqs(db, 1));
  u.bind(4, m.job);
  u.exec();
  index_job(db, m.job);
  r.applied = true;
  r.status = 200;
  r.from = m.from;
  r.to = m.to;
  r.version = version + 1;
  return r;
}

/// Reads a row of `seq, actor, proxy, received_at, body, answer, acknowledged_at, acknowledged_by`.
event_record read_event(SQLite::Statement& s) {
  event_record e;
  e.seq = s.getColumn(0).getInt64();
  e.actor = s.getColumn(1).getString();
  e.proxy = s.getColumn(2).getString();
  e.received_at = s.getColumn(3).getInt64();
  e.body = s.getColumn(4).getString();
  e.answer = s.getColumn(5).getString();
  e.acknowledged_at = optional_int(s.getColumn(6));
  if (!s.getColumn(7).isNull()) e.acknowledged_by = s.getColumn(7).getString();
  return e;
}

constexpr const char* notification_columns =
    "SELECT seq, detector, proxy, received_at, body, answer, acknowledged_at, acknowledged_by FROM "
    "notifications ";

}  // namespace

domain::expected<stored_answer, failure> store::record_notification(
    const idempotency& key, const distribution_api::notification_record& n, const std::string& body,
    instant now) {
  return guarded("recording a notification", [&]() -> domain::expected<stored_answer, failure> {
    std::lock_guard lock(write_mutex_);
    auto& db = *writer_;
    SQLite::Transaction tx(db);
    forget_expired(db, now - idempotency_ttl_s_);
    if (auto earlier = replay(db, key)) {
      tx.commit();
      return *earlier;
    }
    SQLite::Statement s(db,
                        "INSERT INTO notifications (detector, proxy, received_at, body, answer) "
                        "VALUES (?, ?, ?, ?, '') "
                        "RETURNING seq");
    s.bind(1, n.detector);
    s.bind(2, n.proxy);
    s.bind(3, static_cast<std::int64_t>(now));
    s.bind(4, body);
    s.executeStep();
    const auto seq = s.getColumn(0).getInt64();
    s.reset();
    stored_answer answer{201,
                         json{{"id", seq},
                              {"detector", n.detector},
                              {"proxy", n.proxy},
                              {"received_at", domain::format_utc(now)}}
                             .dump(),
                         false};
    SQLite::Statement set(db, "UPDATE notifications SET answer = ? WHERE seq = ?");
    set.bind(1, answer.body);
    set.bind(2, static_cast<std::int64_t>(seq));
    set.exec();
    remember(db, key, answer, now);
    tx.commit();
    return answer;
  });
}

domain::expected<stored_answer, failure> store::apply_adjustments(
    const idempotency& key, const std::string& actor, const std::string& body,
    const std::vector<distribution_api::move_record>& moves, instant now) {
  return guarded("applying an adjustment", [&]() -> domain::expected<stored_answer, failure> {
    std::lock_guard lock(write_mutex_);
    auto& db = *writer_;
    SQLite::Transaction tx(db);
    forget_expired(db, now - idempotency_ttl_s_);
    if (!key.key.empty())
      if (auto earlier = replay(db, key)) {
        tx.commit();
        return *earlier;
      }
    distribution_api::adjustment_outcome outcome;
    for (const auto& m : moves) outcome.results.push_back(apply_move(db, m, now));
    SQLite::Statement s(db,
                        "INSERT INTO adjustments (actor, received_at, body, answer) VALUES (?, ?, "
                        "?, '') RETURNING seq");
    s.bind(1, actor);
    s.bind(2, static_cast<std::int64_t>(now));
    s.bind(3, body);
    s.executeStep();
    const auto seq = s.getColumn(0).getInt64();
    s.reset();
    stored_answer answer{200, distribution_api::write_adjustment_answer(seq, now, outcome), false};
    SQLite::Statement set(db, "UPDATE adjustments SET answer = ? WHERE seq = ?");
    set.bind(1, answer.body);
    set.bind(2, static_cast<std::int64_t>(seq));
    set.exec();
    if (!key.key.empty()) remember(db, key, answer, now);
    tx.commit();
    return answer;
  });
}

domain::expected<page<event_record>, failure> store::notifications(std::optional<std::string> proxy,
                                                                   std::int64_t after, int limit) {
  return guarded("listing notifications", [&]() -> domain::expected<page<event_record>, failure> {
    pool::lease lease(*readers_);
    // Newest first: the cursor is the last sequence number seen, and older ones follow.
    // Only the conditions asked for appear, so that a proxy's list walks its index.
    SQLite::Statement s(lease.db(), std::string(notification_columns) + "WHERE seq < ?1" +
                                        (proxy ? " AND proxy = ?2" : "") +
                                        " ORDER BY seq DESC LIMIT ?3");
    s.bind(1, after < 0 ? std::numeric_limits<std::int64_t>::max() : after);
    if (proxy) s.bind(2, *proxy);
    s.bind(3, limit + 1);
    page<event_record> out;
    while (s.executeStep()) out.items.push_back(read_event(s));
    trim_page(out, limit, [](const event_record& e) { return e.seq; });
    return out;
  });
}

domain::expected<std::vector<event_record>, failure> store::open_warnings() {
  return guarded("listing warnings", [&]() -> domain::expected<std::vector<event_record>, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(
        lease.db(),
        std::string(notification_columns) +
            "n WHERE seq = (SELECT max(seq) FROM notifications m WHERE m.proxy = n.proxy) "
            "AND acknowledged_at IS NULL AND json_array_length(body, '$.windows') > 0 "
            "ORDER BY seq DESC");
    std::vector<event_record> out;
    while (s.executeStep()) out.push_back(read_event(s));
    return out;
  });
}

domain::expected<event_record, failure> store::notification(std::int64_t seq) {
  return guarded("reading a notification", [&]() -> domain::expected<event_record, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(lease.db(), std::string(notification_columns) + "WHERE seq = ?");
    s.bind(1, static_cast<std::int64_t>(seq));
    if (!s.executeStep())
      return failure{failure_kind::not_found, "", "no notification " + std::to_string(seq)};
    return read_event(s);
  });
}

domain::expected<done, failure> store::acknowledge(std::int64_t seq, const std::string& who,
                                                   instant now) {
  return guarded("acknowledging a notification", [&]() -> domain::expected<done, failure> {
    std::lock_guard lock(write_mutex_);
    SQLite::Statement s(*writer_,
                        "UPDATE notifications SET acknowledged_at = ?, acknowledged_by = ? "
                        "WHERE seq = ? AND acknowledged_at IS NULL");
    s.bind(1, static_cast<std::int64_t>(now));
    s.bind(2, who);
    s.bind(3, static_cast<std::int64_t>(seq));
    s.exec();
    return done{};
  });
}

domain::expected<page<event_record>, failure> store::adjustments(std::int64_t after, int limit) {
  return guarded("listing adjustments", [&]() -> domain::expected<page<event_record>, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(
        lease.db(),
        "SELECT seq, actor, '', received_at, body, answer, NULL, NULL FROM adjustments "
        "WHERE (?1 < 0 OR seq < ?1) ORDER BY seq DESC LIMIT ?2");
    s.bind(1, static_cast<std::int64_t>(after));
    s.bind(2, limit + 1);
    page<event_record> out;
    while (s.executeStep()) out.items.push_back(read_event(s));
    trim_page(out, limit, [](const event_record& e) { return e.seq; });
    return out;
  });
}

}  // namespace headroom::distribution
