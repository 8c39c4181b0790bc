#pragma once
// Why a detector actor's request failed. The context of each error says which request
// and what exactly (the URL path, the HTTP status and problem detail, the JSON path).

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>
#include <cstdint>
#include <string>

#include "bus/errors.hpp"

namespace headroom::detector {

enum class detector_errc : std::uint8_t {
  invalid_config = 1,  ///< A setting is out of range or missing; the context names it.
  unreachable,         ///< Name resolution or connecting failed (refused, no route). Transient.
  timeout,             ///< Connecting or the whole exchange took longer than allowed. Transient.
  server_error,        ///< HTTP 5xx, 408 or 429, or the connection broke mid-answer. Transient.
  rejected,            ///< HTTP 4xx other than 408/429: sending it again cannot help. Permanent.
  malformed_answer,    ///< A 2xx answer that does not read as the API documents it. Permanent.
  storage,             ///< The outbox database failed or is from a newer program.
  misconfigured,       ///< HTTP 401, 403, 404 or 3xx: the token or URL is wrong, not the request.
                       ///< Transient: retried until an operator fixes it, never dropped.
};

inline constexpr caf::atom_value detector_error_category = caf::atom("detector");

/// A retry may succeed: the distribution system was down, slow or overloaded.
inline bool is_transient(const caf::error& e) {
  if (e.category() != detector_error_category) return true;
  const auto code = static_cast<detector_errc>(e.code());
  return code == detector_errc::unreachable || code == detector_errc::timeout ||
         code == detector_errc::server_error || code == detector_errc::misconfigured;
}

}  // namespace headroom::detector

CAF_ERROR_CODE_ENUM(headroom::detector::detector_errc, "detector")

namespace headroom::detector {
/// A factory's refusal of its settings: `what` names the actor and the setting.
inline caf::error invalid_config(const std::string& what) {
  return caf::make_error(detector_errc::invalid_config, what);
}

}  // namespace headroom::detector
