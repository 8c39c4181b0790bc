#pragma once
// The error values of the relay's request handling: which HTTP status the device
// gets, which refusal counter goes up, and what was wrong (for the log).

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

#include "messages/relay_messages.hpp"

namespace headroom::relay {

struct http_error {
  std::uint16_t status = 400;
  messages::refusal_reason reason = messages::refusal_reason::malformed;
  std::string what;
};

inline http_error bad_request(std::string what) {
  return {400, messages::refusal_reason::malformed, std::move(what)};
}
inline http_error forbidden(std::string what) {
  return {403, messages::refusal_reason::forbidden, std::move(what)};
}
inline http_error too_large(std::string what) {
  return {431, messages::refusal_reason::too_large, std::move(what)};
}

/// A value or the HTTP error that prevented it.
template <class T>
class http_result {
 public:
  http_result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  http_result(http_error failure) : state_(std::move(failure)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return std::get<0>(state_); }
  const T& operator*() const { return std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }
  [[nodiscard]] const http_error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, http_error> state_;
};

}  // namespace headroom::relay
