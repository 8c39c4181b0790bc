// POST/GET /api/v1/notifications (claim 4) and /api/v1/adjustments (claim 7).
// Both POSTs are idempotent by the Idempotency-Key header (IETF draft, as Stripe does it):
// a retry with the same key and body gets the first answer; the same key with another
// body is 422; a missing key is 400.
#include "distribution/api/event_input.hpp"
#include "distribution/api/paging.hpp"
#include "distribution/api/resource_json.hpp"
#include "distribution/app.hpp"
#include "distribution/crypto.hpp"
#include "distribution/http/json_body.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"

namespace headroom::distribution {
namespace {

using nlohmann::json;

domain::expected<idempotency, failure> read_key(const http_request& req, const char* endpoint,
                                                const json& body) {
  const auto key = std::string(req["Idempotency-Key"]);
  if (key.empty())
    return invalid("Idempotency-Key",
                   "this request needs an Idempotency-Key header so that it can be retried safely");
  if (key.size() > 255) return invalid("Idempotency-Key", "must be at most 255 characters");
  // The parsed document, dumped with sorted keys, so that whitespace or key order does not
  // make a retry look like a different request.
  return idempotency{endpoint, key, sha256_hex(body.dump())};
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
           auto doc = parse_json_body(req.body());
           if (!doc) return problem_response(doc.failure());
           auto key = read_key(req, "notifications", *doc);
           if (!key) return problem_response(key.failure());
           auto n = read_notification(*doc);
           if (!n) return problem_response(n.failure());
           return answer(app.data.record_notification(*key, *n, app.now()));
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
           json items = json::array();
           for (const auto& e : rows->items) items.push_back(notification_json(e));
           return json_response(http::status::ok,
                                page_document(std::move(items), rows->next_after));
         }});
  r.add({http::verb::post, "/api/v1/adjustments", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto doc = parse_json_body(req.body());
           if (!doc) return problem_response(doc.failure());
           auto key = read_key(req, "adjustments", *doc);
           if (!key) return problem_response(key.failure());
           auto a = read_adjustment(*doc);
           if (!a) return problem_response(a.failure());
           return answer(
               app.data.apply_adjustments(*key, a->source, doc->dump(), a->moves, app.now()));
         }});
  r.add({http::verb::get, "/api/v1/adjustments", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.adjustments(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           json items = json::array();
           for (const auto& e : rows->items) items.push_back(adjustment_json(e));
           return json_response(http::status::ok,
                                page_document(std::move(items), rows->next_after));
         }});
}

}  // namespace headroom::distribution
