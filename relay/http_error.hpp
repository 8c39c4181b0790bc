#pragma once
// The error values of the relay's request handling: which HTTP status the device
// gets, which refusal counter goes up, and what was wrong (for the log).

#include <cstdint>
#include <string>
#include <utility>

#include "domain/expected.hpp"
#include "relay/relay_values.hpp"

namespace headroom::relay {

struct http_error {
  std::uint16_t status = 400;
  relay::refusal_reason reason = relay::refusal_reason::malformed;
  std::string what;
};

inline http_error bad_request(std::string what) {
  return {400, relay::refusal_reason::malformed, std::move(what)};
}
inline http_error forbidden(std::string what) {
  return {403, relay::refusal_reason::forbidden, std::move(what)};
}
inline http_error too_large(std::string what) {
  return {431, relay::refusal_reason::too_large, std::move(what)};
}

/// A value or the HTTP error that prevented it.
template <class T>
using http_result = domain::expected<T, http_error>;

}  // namespace headroom::relay
