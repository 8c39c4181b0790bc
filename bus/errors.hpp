#pragma once

#include <caf/error.hpp>
#include <cstdint>

namespace headroom::bus {

/// Why a bus endpoint could not start.
enum class bus_errc : std::uint8_t {
  invalid_config = 1,  ///< An option is out of range or missing.
  socket_failed,       ///< Creating, binding or connecting a ZeroMQ socket failed.
  curve_unavailable,   ///< CurveZMQ was configured but libzmq lacks it.
};

}  // namespace headroom::bus

CAF_ERROR_CODE_ENUM(headroom::bus::bus_errc, "bus")
