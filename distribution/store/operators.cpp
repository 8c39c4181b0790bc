// Operators of the web pages and their login sessions.
#include "distribution/store/internal.hpp"

namespace headroom::distribution {

domain::expected<done, failure> store::put_operator(const std::string& name,
                                                    const std::string& password_hash, instant now) {
  return guarded("storing operator " + name, [&]() -> domain::expected<done, failure> {
    std::lock_guard lock(write_mutex_);
    SQLite::Transaction tx(*writer_);
    SQLite::Statement s(
        *writer_,
        "INSERT INTO operators (name, password_hash, created_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (name) DO UPDATE SET password_hash = ?2");
    s.bind(1, name);
    s.bind(2, password_hash);
    s.bind(3, static_cast<std::int64_t>(now));
    s.exec();
    // A new password ends the sessions opened with the old one.
    SQLite::Statement end(*writer_, "DELETE FROM sessions WHERE operator = ?");
    end.bind(1, name);
    end.exec();
    tx.commit();
    return done{};
  });
}

domain::expected<std::string, failure> store::operator_password_hash(const std::string& name) {
  return guarded("reading operator " + name, [&]() -> domain::expected<std::string, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(lease.db(), "SELECT password_hash FROM operators WHERE name = ?");
    s.bind(1, name);
    if (!s.executeStep()) return failure{failure_kind::unauthorized, "", "unknown operator"};
    return s.getColumn(0).getString();
  });
}

domain::expected<done, failure> store::create_session(const std::string& token_hash,
                                                      const operator_session& session,
                                                      instant now) {
  return guarded("opening a session", [&]() -> domain::expected<done, failure> {
    std::lock_guard lock(write_mutex_);
    SQLite::Transaction tx(*writer_);
    SQLite::Statement expired(*writer_, "DELETE FROM sessions WHERE expires_at <= ?");
    expired.bind(1, static_cast<std::int64_t>(now));
    expired.exec();
    SQLite::Statement s(
        *writer_,
        "INSERT INTO sessions (token_hash, operator, csrf, expires_at) VALUES (?, ?, ?, ?)");
    s.bind(1, token_hash);
    s.bind(2, session.name);
    s.bind(3, session.csrf);
    s.bind(4, static_cast<std::int64_t>(session.expires_at));
    s.exec();
    tx.commit();
    return done{};
  });
}

domain::expected<operator_session, failure> store::session(const std::string& token_hash,
                                                           instant now) {
  return guarded("reading a session", [&]() -> domain::expected<operator_session, failure> {
    pool::lease lease(*readers_);
    SQLite::Statement s(
        lease.db(),
        "SELECT operator, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?");
    s.bind(1, token_hash);
    s.bind(2, static_cast<std::int64_t>(now));
    if (!s.executeStep())
      return failure{failure_kind::unauthorized, "", "no such session, or it expired"};
    return operator_session{s.getColumn(0).getString(), s.getColumn(1).getString(),
                            s.getColumn(2).getInt64()};
  });
}

domain::expected<done, failure> store::end_session(const std::string& token_hash) {
  return guarded("closing a session", [&]() -> domain::expected<done, failure> {
    std::lock_guard lock(write_mutex_);
    SQLite::Statement s(*writer_, "DELETE FROM sessions WHERE token_hash = ?");
    s.bind(1, token_hash);
    s.exec();
    return done{};
  });
}

}  // namespace headroom::distribution
