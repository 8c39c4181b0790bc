// POST/GET /api/v1/notifications (claim 4) and /api/v1/adjustments (claim 7).
// Both POSTs are idempotent by the Idempotency-Key header (IETF draft, as Stripe does it):
// a retry with the same key and body gets the first answer; the same key with another
// body is 422; a missing key is 400.
#include "distribution/api/paging.hpp"
#include "distribution/api/resource_json.hpp"
#include "distribution/app.hpp"
#include "distribution/crypto.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution {
namespace {

/// A POST of an event: its body as distribution_api::canonical_json writes it (so that
/// whitespace or key order does not make a retry look like a different request), the key
/// that makes a retry of it safe, and the record read from the same parse.
template <class T>
struct keyed_request {
  std::string body;
  idempotency key;
  domain::expected<T> record;
};

template <class T>
domain::expected<keyed_request<T>, failure> read_keyed(
    const http_request& req, const char* endpoint,
    domain::expected<distribution_api::canonical_record<T>> (*read)(std::string_view)) {
  auto doc = read(req.body());
  if (!doc) return invalid(doc.failure());
  const auto key = std::string(req["Idempotency-Key"]);
  if (key.empty())
    return invalid("Idempotency-Key",
                   "this request needs an Idempotency-Key header so that it can be retried safely");
  if (key.size() > 255) return invalid("Idempotency-Key", "must be at most 255 characters");
  auto hash = sha256_hex(doc->text);
  return keyed_request<T>{
      std::move(doc->text), {endpoint, key, std::move(hash)}, std::move(doc->record)};
}

http_response answer(const domain::expected<stored_answer, failure>& stored) {
  if (!stored) return problem_response(stored.failure());
  http_response res{static_cast<http::status>(stored->status), 11};
  res.set(http::field::content_type, "application/json");
  if (stored->replayed) res.set("Idempotent-Replayed", "true");
  res.body() = stored->body;
  return res;
}

}  // namespace

void add_event_routes(router& r, app_context& app) {
  r.add({http::verb::post, "/api/v1/notifications", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto posted =
               read_keyed(req, "notifications", distribution_api::read_canonical_notification);
           if (!posted) return problem_response(posted.failure());
           const auto& n = posted->record;
           if (!n) return problem_response(invalid(n.failure()));
           return answer(app.data.record_notification(posted->key, *n, posted->body, app.now()));
         }});
  r.add({http::verb::get, "/api/v1/notifications", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"proxy", "cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           std::optional<std::string> proxy;
           if (ctx.where.query.count("proxy")) proxy = ctx.where.query.at("proxy");
           auto rows = app.data.notifications(proxy, p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return list_response(*rows, notification_json);
         }});
  r.add({http::verb::post, "/api/v1/adjustments", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto posted =
               read_keyed(req, "adjustments", distribution_api::read_canonical_adjustment);
           if (!posted) return problem_response(posted.failure());
           const auto& a = posted->record;
           if (!a) return problem_response(invalid(a.failure()));
           // An adjustment that names no source is the API's own (a script's).
           const auto actor = a->source.empty() ? std::string("api") : a->source;
           return answer(
               app.data.apply_adjustments(posted->key, actor, posted->body, a->moves, app.now()));
         }});
  r.add({http::verb::get, "/api/v1/adjustments", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.adjustments(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return list_response(*rows, adjustment_json);
         }});
}

}  // namespace headroom::distribution
