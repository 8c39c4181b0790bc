// GET /api/v1/openapi.json, GET /healthz, GET /metrics.
#include "common/prometheus_text.hpp"
#include "distribution/api/openapi.hpp"
#include "distribution/app.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"

namespace headroom::distribution {

void add_meta_routes(router& r, app_context& app) {
  r.add({http::verb::get, "/api/v1/openapi.json", access::open,
         [](const http_request&, request_context&) {
           http_response res{http::status::ok, 11};
           res.set(http::field::content_type, "application/json");
           res.body() = std::string(openapi_document());
           return res;
         }});
  r.add({http::verb::get, "/healthz", access::open,
         [&app](const http_request&, request_context&) -> http_response {
           auto s = app.data.stats();
           if (!s) return problem_response(s.failure());
           return json_response(http::status::ok, {{"status", "ok"},
                                                   {"schema_version", app.data.schema_version()},
                                                   {"jobs", s->jobs}});
         }});
  r.add({http::verb::get, "/metrics", access::open,
         [&app](const http_request&, request_context&) -> http_response {
           auto s = app.data.stats();
           if (!s) return problem_response(s.failure());
           common::prometheus_text text;
           app.counters.render(text);
           text.family("headroom_store_rows", "gauge", "Rows held by the store, by table.");
           for (auto [table, n] : {std::pair{"customers", s->customers},
                                   {"devices", s->devices},
                                   {"proxies", s->proxies},
                                   {"packages", s->packages},
                                   {"jobs", s->jobs},
                                   {"services", s->services},
                                   {"notifications", s->notifications},
                                   {"adjustments", s->adjustments},
                                   {"idempotency_keys", s->idempotency_keys}})
             text.sample("headroom_store_rows", {{"table", table}}, n);
           text.family("headroom_login_refusals_total", "counter",
                       "Logins refused with 429 (too many failures for the name or address).");
           text.sample("headroom_login_refusals_total", app.logins.refused());
           text.family("headroom_login_limiter_entries", "gauge",
                       "Operator names and addresses the login limiter remembers.");
           text.sample("headroom_login_limiter_entries",
                       static_cast<std::int64_t>(app.logins.tracked()));
           http_response res{http::status::ok, 11};
           res.set(http::field::content_type, "text/plain; version=0.0.4");
           res.body() = text.text();
           return res;
         }});
}

}  // namespace headroom::distribution
