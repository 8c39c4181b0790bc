#include "distribution/http/problem.hpp"

#include "distribution_api/json.hpp"

namespace headroom::distribution {
namespace {

struct kind_info {
  http::status status;
  const char* type;
  const char* title;
};

kind_info info(failure_kind kind) {
  switch (kind) {
    case failure_kind::invalid:
      return {http::status::bad_request, "/problems/invalid-request", "Invalid request"};
    case failure_kind::unauthorized:
      return {http::status::unauthorized, "/problems/unauthorized", "Unauthorized"};
    case failure_kind::forbidden:
      return {http::status::forbidden, "/problems/forbidden", "Forbidden"};
    case failure_kind::not_found:
      return {http::status::not_found, "/problems/not-found", "Not found"};
    case failure_kind::conflict:
      return {http::status::conflict, "/problems/conflict", "Conflict"};
    case failure_kind::too_large:
      return {http::status::payload_too_large, "/problems/too-large", "Request body too large"};
    case failure_kind::unprocessable:
      return {http::status::unprocessable_entity, "/problems/idempotency-key-reused",
              "Idempotency key reused"};
    case failure_kind::range:
      return {http::status::range_not_satisfiable, "/problems/range", "Range not satisfiable"};
    case failure_kind::internal:
      return {http::status::internal_server_error, "/problems/internal", "Internal error"};
    case failure_kind::storage_full:
      return {http::status::insufficient_storage, "/problems/storage-full", "Storage full"};
  }
  return {http::status::internal_server_error, "/problems/internal", "Internal error"};
}

}  // namespace

http::status status_of(failure_kind kind) { return info(kind).status; }

http_response problem_response(http::status status, const char* type, const char* title,
                               const std::string& detail, const std::string& path) {
  http_response res{status, 11};
  res.set(http::field::content_type, "application/problem+json");
  res.body() = distribution_api::write_problem(
      {type, title, static_cast<std::int32_t>(status), detail, path});
  return res;
}

http_response problem_response(const failure& why) {
  const auto i = info(why.kind);
  auto res = problem_response(i.status, i.type, i.title, why.detail, why.path);
  if (why.kind == failure_kind::unauthorized)
    res.set(http::field::www_authenticate, "Bearer realm=\"headroom\"");
  return res;
}

http_response json_response(http::status status, const nlohmann::json& body) {
  return json_text_response(status, body.dump());
}

http_response json_text_response(http::status status, std::string body) {
  http_response res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

}  // namespace headroom::distribution
