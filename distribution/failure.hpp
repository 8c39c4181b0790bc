#pragma once

#include <string>
#include <utility>
#include <variant>

namespace headroom::distribution {

/// Why a request could not be served; each kind maps to one HTTP status.
enum class failure_kind {
  invalid,        ///< 400: the request is malformed or breaks a rule.
  unauthorized,   ///< 401: no or a wrong credential.
  forbidden,      ///< 403: a credential that may not do this (a failed CSRF check).
  not_found,      ///< 404: the resource does not exist.
  conflict,       ///< 409: the resource changed since the client read it.
  too_large,      ///< 413: the body exceeds the configured limit.
  unprocessable,  ///< 422: well-formed, but contradicts an earlier request (idempotency keys).
  range,          ///< 416: the requested byte range lies outside the resource.
  internal,       ///< 500: the store failed; the detail says how.
};

/// A failure with the JSON path of the offending value (`jobs[3].start`, `query.from`, or empty).
struct failure {
  failure_kind kind = failure_kind::invalid;
  std::string path;
  std::string detail;
};

/// A value or the failure that prevented it.
template <class T>
class result {
 public:
  result(T value) : state_(std::move(value)) {}    // NOLINT: implicit by design
  result(failure why) : state_(std::move(why)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& operator*() { return std::get<0>(state_); }
  const T& operator*() const { return std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }
  [[nodiscard]] const failure& why() const { return std::get<1>(state_); }

 private:
  std::variant<T, failure> state_;
};

/// A result without a value: success, or the failure.
struct done {};

}  // namespace headroom::distribution
