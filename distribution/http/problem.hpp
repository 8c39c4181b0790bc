#pragma once

#include <nlohmann/json.hpp>

#include "distribution/failure.hpp"
#include "distribution/http/types.hpp"

namespace headroom::distribution {

/// The HTTP status a failure kind is answered with.
http::status status_of(failure_kind kind);

/// An RFC 9457 problem document (application/problem+json): type, title, status, detail,
/// and `path`, the JSON path of the offending value (or the header or query parameter).
http_response problem_response(const failure& why);

/// A problem document for statuses no failure kind stands for (405).
http_response problem_response(http::status status, const char* type, const char* title,
                               const std::string& detail, const std::string& path = {});

/// A JSON answer.
http_response json_response(http::status status, const nlohmann::json& body);

/// A JSON answer already written (by distribution_api/json.hpp).
http_response json_text_response(http::status status, std::string body);

/// Shorthand for the failures handlers raise.
inline failure invalid(std::string path, std::string detail) {
  return {failure_kind::invalid, std::move(path), std::move(detail)};
}

/// A request document distribution_api refused, at the JSON path it names.
inline failure invalid(const domain::error& e) { return invalid(e.where, e.what); }

}  // namespace headroom::distribution
