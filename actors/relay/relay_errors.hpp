#pragma once
// Why a proxy node or one of its actors could not start. The context of each error says
// which setting or address and what exactly (headroom::describe renders it).

#include <caf/error.hpp>
#include <cstdint>

namespace headroom::relay {

enum class relay_errc : std::uint8_t {
  invalid_config = 1,  ///< A setting is out of range, missing or unreadable; the context names it.
  cannot_listen,       ///< The device or admin address cannot be bound; the context says which.
};

}  // namespace headroom::relay

CAF_ERROR_CODE_ENUM(headroom::relay::relay_errc, "relay")
