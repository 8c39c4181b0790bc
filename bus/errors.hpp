#pragma once

#include <caf/error.hpp>
#include <caf/message.hpp>
#include <cstdint>
#include <string>

namespace headroom::bus {

/// Why a bus endpoint could not start.
enum class bus_errc : std::uint8_t {
  invalid_config = 1,  ///< An option is out of range or missing.
  socket_failed,       ///< Creating, binding or connecting a ZeroMQ socket failed.
  curve_unavailable,   ///< CurveZMQ was configured but libzmq lacks it.
};

}  // namespace headroom::bus

namespace headroom {

/// An error's own words: the context string every Headroom error carries (bus, relay,
/// detector: it names the setting, the address or the request), CAF's rendering otherwise.
inline std::string describe(const caf::error& e) {
  if (e.context().match_elements<std::string>()) return e.context().get_as<std::string>(0);
  return caf::to_string(e);
}

}  // namespace headroom

CAF_ERROR_CODE_ENUM(headroom::bus::bus_errc, "bus")
