#pragma once

// The property the fuzz target and the corpus replay both check on any input:
// decoding never throws or crashes, and whatever decodes re-encodes to bytes
// that decode to the same frame.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "messages/codec.hpp"

namespace headroom::test {

/// Empty when the property holds for `bytes`, else what broke.
inline std::optional<std::string> check_decode_property(std::string_view bytes) {
  const auto first = messages::decode(bytes);
  if (!first) {
    if (first.failure().what.empty()) return "refused without saying why";
    return std::nullopt;
  }
  std::string again;
  messages::encode(first->env, first->body, again);
  const auto second = messages::decode(again);
  if (!second) return "re-encoded frame refused: " + second.failure().message();
  if (!(second->env == first->env) || !(second->body == first->body))
    return "re-encoded frame differs";
  return std::nullopt;
}

}  // namespace headroom::test
