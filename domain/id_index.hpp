#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/fleet.hpp"

namespace headroom::domain {

/// Finds an element of a fleet vector by its id. Open addressing with the hash
/// kept beside each slot: a million-device fleet resolves its references several
/// times faster than with std::unordered_map, whose nodes each cost a cache miss.
/// The ids are viewed, not copied: the items must outlive the index unchanged.
class id_index {
 public:
  template <class Items>
  explicit id_index(const Items& items) {
    keys_.reserve(items.size());
    for (const auto& item : items) keys_.emplace_back(item.id);
    std::size_t capacity = 16;
    while (capacity < 2 * keys_.size()) capacity *= 2;
    slots_.assign(capacity, slot{});
    mask_ = capacity - 1;
    for (index_t i = 0; i < keys_.size(); ++i) insert(i);
  }

  /// The index of the element with this id, if any (the first one, if repeated).
  [[nodiscard]] std::optional<index_t> find(std::string_view id) const {
    const auto h = std::hash<std::string_view>{}(id);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      const slot& at = slots_[s];
      if (at.position == 0) return std::nullopt;
      if (at.hash == static_cast<std::uint32_t>(h >> 32) && keys_[at.position - 1] == id)
        return at.position - 1;
    }
  }

  /// The first element whose id an earlier element already has, if any.
  [[nodiscard]] std::optional<index_t> first_duplicate() const { return first_duplicate_; }

 private:
  struct slot {
    std::uint32_t hash = 0;      // the upper half of the full hash
    std::uint32_t position = 0;  // index + 1; 0 is an empty slot
  };

  void insert(index_t i) {
    const auto h = std::hash<std::string_view>{}(keys_[i]);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      slot& at = slots_[s];
      if (at.position == 0) {
        at = {static_cast<std::uint32_t>(h >> 32), i + 1};
        return;
      }
      if (at.hash == static_cast<std::uint32_t>(h >> 32) && keys_[at.position - 1] == keys_[i]) {
        if (!first_duplicate_) first_duplicate_ = i;
        return;
      }
    }
  }

  std::vector<std::string_view> keys_;
  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::optional<index_t> first_duplicate_;
};

}  // namespace headroom::domain
