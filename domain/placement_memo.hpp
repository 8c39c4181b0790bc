#pragma once

#include <bit>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "domain/fleet.hpp"
#include "domain/time.hpp"

namespace headroom::domain {

/// What earlier searches for a start learned while loads only grew: "no job of at
/// least this duration on this path can start in [from, until)". A rollout puts
/// hundreds of jobs on one proxy at one requested time; without this, each of them
/// would walk again over every gap the ones before it left too short.
///
/// Valid because proxies only gain load while jobs are placed: a longer job fits
/// nowhere a shorter one did not, and more load only removes room.
class placement_memo {
 public:
  /// The earliest start worth trying for `duration` on `path` from `from`.
  [[nodiscard]] instant skip_to(const std::vector<index_t>& path, instant from,
                                std::int64_t duration) const {
    if (path.size() > 2) return from;
    const auto it = known_.find(key_of(path, from));
    if (it == known_.end()) return from;
    instant best = from;
    for (const auto& fact : it->second)
      if (fact.duration <= duration && fact.until > best) best = fact.until;
    return best;
  }

  /// Records that no start in [from, until) fits `duration` on `path`.
  void learn(const std::vector<index_t>& path, instant from, std::int64_t duration, instant until) {
    if (path.size() > 2) return;
    // Stored under a duration rounded up (to three significant bits), so that the
    // facts per search stay few; the rounded-up duration fits nowhere either.
    const std::int64_t rounded = round_up(duration);
    auto& facts = known_[key_of(path, from)];
    for (auto& fact : facts)
      if (fact.duration == rounded) {
        fact.until = std::max(fact.until, until);
        return;
      }
    facts.push_back({rounded, until});
  }

 private:
  struct fact {
    std::int64_t duration;
    instant until;
  };

  struct key {
    std::uint64_t path;
    instant from;
    friend bool operator==(const key&, const key&) = default;
  };

  struct key_hash {
    std::size_t operator()(const key& k) const {
      return std::hash<std::uint64_t>{}(k.path * 0x9E3779B97F4A7C15ull ^
                                        static_cast<std::uint64_t>(k.from));
    }
  };

  /// A path of one or two proxies as one number (longer paths are not remembered).
  static key key_of(const std::vector<index_t>& path, instant from) {
    const std::uint64_t second = path.size() > 1 ? path[1] + 1ull : 0ull;
    return {static_cast<std::uint64_t>(path[0]) << 32 | second, from};
  }

  static std::int64_t round_up(std::int64_t d) {
    if (d <= 8) return d;
    const int shift = std::bit_width(static_cast<std::uint64_t>(d)) - 4;
    const std::int64_t unit = std::int64_t{1} << shift;
    return (d + unit - 1) / unit * unit;
  }

  std::unordered_map<key, std::vector<fact>, key_hash> known_;
};

}  // namespace headroom::domain
