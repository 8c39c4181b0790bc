// Delivery jobs: filtered, paged lists; creation; versioned changes (a stale version is 409).
#include "distribution/api/paging.hpp"
#include "distribution/api/resource_json.hpp"
#include "distribution/app.hpp"
#include "distribution/http/json_body.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"

namespace headroom::distribution {
namespace {

constexpr std::int64_t max_duration_s = 30 * domain::seconds_per_day;

void check_status(const body_fields& f, const std::string& status) {
  if (!known_status(status))
    reject(f.at("status"), "must be one of scheduled, running, done, failed, cancelled");
}

domain::expected<job_record, failure> read_new_job(const std::string& body) {
  auto doc = parse_json_body(body);
  if (!doc) return doc.failure();
  return read_body<job_record>([&] {
    body_fields f(
        *doc, "",
        {"id", "device", "package", "start", "duration_s", "deadline", "priority", "status"});
    job_record j;
    j.id = f.string("id");
    j.device = f.string("device");
    j.package = f.string("package");
    j.start = f.time("start");
    j.duration_s = f.integer("duration_s", 1, max_duration_s);
    if (f.has("deadline")) {
      j.deadline = f.time("deadline");
      if (*j.deadline < j.start + j.duration_s)
        reject(f.at("deadline"), "is before the job can end");
    }
    if (f.has("priority"))
      j.priority = static_cast<std::int32_t>(f.integer("priority", -1000, 1000));
    if (f.has("status")) {
      j.status = f.string("status");
      check_status(f, j.status);
    }
    return j;
  });
}

domain::expected<job_patch, failure> read_patch(const std::string& body) {
  auto doc = parse_json_body(body);
  if (!doc) return doc.failure();
  return read_body<job_patch>([&] {
    body_fields f(*doc, "", {"version", "start", "duration_s", "deadline", "priority", "status"});
    job_patch p;
    p.expected_version = f.integer("version", 1, INT64_MAX);
    if (f.has("start")) p.start = f.time("start");
    if (f.has("duration_s")) p.duration_s = f.integer("duration_s", 1, max_duration_s);
    if (doc->contains("deadline"))
      p.deadline = f.has("deadline") ? std::optional<instant>(f.time("deadline")) : std::nullopt;
    if (f.has("priority"))
      p.priority = static_cast<std::int32_t>(f.integer("priority", -1000, 1000));
    if (f.has("status")) {
      p.status = f.string("status");
      check_status(f, *p.status);
    }
    return p;
  });
}

domain::expected<job_filter, failure> read_filter(const target& t, const distribution_config& c) {
  if (auto bad = unknown_parameters(
          t, {"proxy", "device", "from", "to", "updated_since", "cursor", "limit"}))
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
           nlohmann::json items = nlohmann::json::array();
           for (const auto& j : rows->items) items.push_back(to_json(j));
           return json_response(http::status::ok,
                                page_document(std::move(items), rows->next_after));
         }});
  r.add({http::verb::post, "/api/v1/jobs", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto job = read_new_job(req.body());
           if (!job) return problem_response(job.failure());
           auto created = app.data.create_job(*job, app.now());
           if (!created) return problem_response(created.failure());
           auto res = json_response(http::status::created, to_json(*created));
           res.set(http::field::location, "/api/v1/jobs/" + percent_encode(created->id));
           return res;
         }});
  r.add({http::verb::get, "/api/v1/jobs/{id}", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           auto job = app.data.job(ctx.params.at("id"));
           if (!job) return problem_response(job.failure());
           return json_response(http::status::ok, to_json(*job));
         }});
  r.add({http::verb::patch, "/api/v1/jobs/{id}", access::token,
         [&app](const http_request& req, request_context& ctx) -> http_response {
           auto patch = read_patch(req.body());
           if (!patch) return problem_response(patch.failure());
           auto changed = app.data.patch_job(ctx.params.at("id"), *patch, app.now());
           if (!changed) return problem_response(changed.failure());
           return json_response(http::status::ok, to_json(*changed));
         }});
}

}  // namespace headroom::distribution
