#pragma once

#include <string>

#include "domain/expected.hpp"

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
  storage_full,   ///< 507: the store's disk is full; nothing of the request was kept.
};

/// A failure with the JSON path of the offending value (`jobs[3].start`, `query.from`, or empty).
/// Fallible functions of the distribution system return `domain::expected<T, failure>`.
struct failure {
  failure_kind kind = failure_kind::invalid;
  std::string path;
  std::string detail;
};

/// The value of a domain::expected<done, failure>: success without a result.
struct done {};

}  // namespace headroom::distribution
