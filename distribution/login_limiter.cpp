#include "distribution/login_limiter.hpp"

#include <algorithm>

namespace headroom::distribution {
namespace {

std::string account_key(const std::string& name) { return "a:" + name; }
std::string address_key(const std::string& address) { return "i:" + address; }

}  // namespace

std::optional<login_lockout> login_limiter::check(const std::string& account,
                                                  const std::string& address, domain::instant now) {
  std::lock_guard lock(mutex_);
  const auto locked = [&](const std::string& key, int limit) -> std::optional<domain::instant> {
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.window_end <= now || it->second.failures < limit)
      return std::nullopt;
    return it->second.window_end;
  };
  std::optional<login_lockout> out;
  if (auto until = locked(account_key(account), limits_.per_account))
    out = login_lockout{true, *until};
  if (auto until = locked(address_key(address), limits_.per_address))
    if (!out || *until > out->until) out = login_lockout{false, *until};
  if (out) ++refused_;
  return out;
}

void login_limiter::failed(const std::string& account, const std::string& address,
                           domain::instant now) {
  std::lock_guard lock(mutex_);
  count(account_key(account), limits_.per_account, now);
  count(address_key(address), limits_.per_address, now);
}

void login_limiter::succeeded(const std::string& account) {
  std::lock_guard lock(mutex_);
  entries_.erase(account_key(account));
}

std::size_t login_limiter::tracked() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::int64_t login_limiter::refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

void login_limiter::count(const std::string& key, int limit, domain::instant now) {
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.window_end <= now) {
    entries_.erase(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    make_room(now);
    it = entries_.emplace(key, entry{0, now + limits_.window_s}).first;
  }
  // Failures past the limit do not extend the lockout: it ends with the window.
  it->second.failures = std::min(it->second.failures + 1, limit);
}

void login_limiter::make_room(domain::instant now) {
  if (entries_.size() < limits_.tracked_keys) return;
  std::erase_if(entries_, [now](const auto& e) { return e.second.window_end <= now; });
  while (entries_.size() >= limits_.tracked_keys) {
    const auto first = std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
      return a.second.window_end < b.second.window_end;
    });
    entries_.erase(first);
  }
}

}  // namespace headroom::distribution
