#pragma once
// Failed operator logins, counted per operator name and per client address, so that
// neither one account nor one address can guess passwords at speed. After `limit`
// failures within the window the key is locked until the window ends; a login with the
// right password clears the account's count (not the address's: one address may try
// many names). Times come from the caller (the injected wall clock), never from the
// system clock. Memory is bounded: expired entries are dropped, and when `tracked_keys`
// are held the one expiring first goes, so a flood of made-up names cannot grow it.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "domain/time.hpp"

namespace headroom::distribution {

struct login_limits {
  int per_account = 5;
  int per_address = 20;
  std::int64_t window_s = 900;
  std::size_t tracked_keys = 10'000;
};

/// Why a login is refused before its password is checked.
struct login_lockout {
  bool by_account = false;  ///< Else by address.
  domain::instant until = 0;
};

class login_limiter {
 public:
  explicit login_limiter(login_limits limits) : limits_(limits) {}

  /// A lockout that holds now for the account or the address, or nullopt.
  [[nodiscard]] std::optional<login_lockout> check(const std::string& account,
                                                   const std::string& address, domain::instant now);
  /// A wrong password (or an unknown name).
  void failed(const std::string& account, const std::string& address, domain::instant now);
  /// A right one: the account starts afresh.
  void succeeded(const std::string& account);

  /// Entries held (accounts and addresses together), for tests and metrics.
  [[nodiscard]] std::size_t tracked() const;
  /// Logins refused with 429 so far.
  [[nodiscard]] std::int64_t refused() const;

 private:
  struct entry {
    int failures = 0;
    domain::instant window_end = 0;  ///< Failures count until then; a lockout lasts until then.
  };
  void count(const std::string& key, int limit, domain::instant now);
  void make_room(domain::instant now);

  login_limits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, entry> entries_;  ///< "a:" + name, "i:" + address.
  std::int64_t refused_ = 0;
};

}  // namespace headroom::distribution
