// Delivery jobs: filtered, paged lists; creation; versioned changes (a stale version is 409).
#include "distribution/api/paging.hpp"
#include "distribution/app.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution {
namespace {

domain::expected<job_filter, failure> read_filter(const target& t, const distribution_config& c) {
  if (auto bad = unknown_parameters(t, {"proxy", "device", "from", "to", "updated_since",
                                        "changed_after", "cursor", "limit"}))
    return *bad;
  auto p = read_page_request(t, c);
  if (!p) return p.failure();
  job_filter f;
  f.after = p->after;
  f.limit = p->limit;
  if (t.query.count("proxy")) f.proxy = t.query.at("proxy");
  if (t.query.count("device")) f.device = t.query.at("device");
  for (auto [name, slot] :
       {std::pair{"from", &f.from}, {"to", &f.to}, {"updated_since", &f.updated_since}}) {
    auto v = time_parameter(t, name);
    if (!v) return v.failure();
    *slot = *v;
  }
  auto changed_after = count_parameter(t, "changed_after");
  if (!changed_after) return changed_after.failure();
  f.changed_after = *changed_after;
  if (f.from && f.to && *f.to <= *f.from) return invalid("query.to", "must be after query.from");
  return f;
}

}  // namespace

void add_job_routes(router& r, app_context& app) {
  r.add({http::verb::get, "/api/v1/jobs", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           auto filter = read_filter(ctx.where, app.config);
           if (!filter) return problem_response(filter.failure());
           auto rows = app.data.jobs(*filter);
           if (!rows) return problem_response(rows.failure());
           return list_response(
               *rows, [](const auto& j) { return distribution_api::write_job(j.record); });
         }});
  r.add({http::verb::post, "/api/v1/jobs", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto job = distribution_api::read_new_job(req.body());
           if (!job) return problem_response(invalid(job.failure()));
           auto created = app.data.create_job(*job, app.now());
           if (!created) return problem_response(created.failure());
           auto res =
               json_text_response(http::status::created, distribution_api::write_job(*created));
           res.set(http::field::location, "/api/v1/jobs/" + percent_encode(created->id));
           return res;
         }});
  r.add({http::verb::get, "/api/v1/jobs/{id}", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           auto job = app.data.job(ctx.params.at("id"));
           if (!job) return problem_response(job.failure());
           return json_text_response(http::status::ok, distribution_api::write_job(*job));
         }});
  r.add({http::verb::patch, "/api/v1/jobs/{id}", access::token,
         [&app](const http_request& req, request_context& ctx) -> http_response {
           auto patch = distribution_api::read_job_patch(req.body());
           if (!patch) return problem_response(invalid(patch.failure()));
           auto changed = app.data.patch_job(ctx.params.at("id"), *patch, app.now());
           if (!changed) return problem_response(changed.failure());
           return json_text_response(http::status::ok, distribution_api::write_job(*changed));
         }});
}

}  // namespace headroom::distribution
