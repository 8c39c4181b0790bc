#pragma once
// Where each of Headroom's CAF type-ID blocks starts: one chain, in one place. A block may
// grow until it reaches the next one's start; actors/type_registry.cpp checks that at
// compile time, and registers every block with one function.

#include <caf/type_id.hpp>

namespace headroom::type_ids {

inline constexpr caf::type_id_t messages = caf::first_custom_type_id;  ///< messages/caf_types.hpp
inline constexpr caf::type_id_t bus = messages + 32;                   ///< bus/interfaces.hpp
inline constexpr caf::type_id_t relay = bus + 16;       ///< actors/relay/interfaces.hpp
inline constexpr caf::type_id_t detector = relay + 32;  ///< actors/detector/interfaces.hpp
inline constexpr caf::type_id_t end = detector + 64;

}  // namespace headroom::type_ids
