// The schedule screen (the patent's Fig. 13, claim 5): per proxy, the predicted load
// against the threshold with the delivery jobs; select jobs and a new start to preview the
// load that would result, then confirm the move.
#include <optional>
#include <sstream>

#include "distribution/app.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution/pages/html.hpp"
#include "distribution/pages/load_chart.hpp"
#include "distribution/pages/pages.hpp"
#include "distribution/pages/stored_events.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution {
namespace {

constexpr std::string_view move_prefix = "move.";
constexpr std::string_view job_prefix = "job.";

/// Reads a time given as RFC 3339 (links) or as a datetime-local value in the display zone (forms).
domain::expected<instant, failure> read_time(const std::map<std::string, std::string>& q,
                                             const std::string& name, const std::string& zone) {
  const auto& text = q.at(name);
  if (auto t = domain::parse_rfc3339(text)) return *t;
  auto local = parse_local_input(text, zone);
  if (!local) return invalid("query." + name, local.failure().what);
  return *local;
}

struct schedule_request {
  std::string proxy;
  domain::interval range;
  std::map<std::string, instant> moves;  ///< Job id to its previewed start.
  std::optional<instant> new_start;
};

/// Versions of the jobs behind the proxy in the range, for the confirm form.
std::map<std::string, std::int64_t> job_versions(
    const std::vector<distribution_api::job_record>& jobs) {
  std::map<std::string, std::int64_t> out;
  for (const auto& j : jobs) out[j.id] = j.version;
  return out;
}

/// How the deliveries in the range stand as the devices report them: done and failed ones
/// no longer load the proxy, so the chart alone cannot show a rollout that failed.
std::string delivery_progress(const std::vector<distribution_api::job_record>& jobs) {
  std::map<distribution_api::job_status, std::int64_t> count;
  for (const auto& j : jobs) ++count[j.status];
  using distribution_api::job_status;
  std::ostringstream out;
  out << "<p id=\"deliveries\">Deliveries in this range, as the devices report them: "
      << "<strong>" << count[job_status::done] << "</strong> done, <strong class=\""
      << (count[job_status::failed] ? "over" : "ok") << "\">" << count[job_status::failed]
      << "</strong> failed, " << count[job_status::running] << " running, "
      << count[job_status::scheduled] << " scheduled";
  if (count[job_status::cancelled]) out << ", " << count[job_status::cancelled] << " cancelled";
  out << ".</p>";
  return out.str();
}

std::string controls(const schedule_request& s,
                     const std::vector<distribution_api::topology_proxy>& proxies,
                     const std::string& zone) {
  std::ostringstream out;
  out << "<form method=\"get\" action=\"/schedule\" id=\"view-form\"><fieldset><label>Proxy "
         "<select name=\"proxy\">";
  for (const auto& p : proxies)
    out << "<option" << (p.id == s.proxy ? " selected" : "") << ">" << escape(p.id) << "</option>";
  out << "</select></label> <label>From <input type=\"datetime-local\" name=\"from\" value=\""
      << local_input(s.range.start, zone)
      << "\"></label> <label>To <input type=\"datetime-local\" name=\"to\" value=\""
      << local_input(s.range.end, zone)
      << "\"></label> <button type=\"submit\">Show</button></fieldset></form>";
  return out.str();
}

std::string summary(const proxy_view& v) {
  std::ostringstream out;
  const auto peak = peak_of(v.current);
  out << "<p id=\"summary\">Threshold <strong>" << v.threshold << "</strong> of capacity "
      << v.capacity << ". Predicted peak <strong class=\"" << (peak > v.threshold ? "over" : "ok")
      << "\">" << peak << "</strong>, " << v.current_windows.size() << " overloaded window"
      << (v.current_windows.size() == 1 ? "" : "s") << ".";
  if (v.has_preview) {
    const auto after = peak_of(v.preview);
    out << " After the move: peak <strong class=\"" << (after > v.threshold ? "over" : "ok")
        << "\" id=\"preview-peak\">" << after << "</strong>, " << v.preview_windows.size()
        << " overloaded window" << (v.preview_windows.size() == 1 ? "" : "s") << ".";
  }
  out << "</p><p class=\"legend\"><span><i class=\"swatch\" "
         "style=\"background:#1d3557\"></i>predicted load</span>"
      << (v.has_preview ? "<span><i class=\"swatch\" style=\"background:#e07a00\"></i>load after "
                          "the move</span>"
                        : "")
      << "<span><i class=\"swatch\" style=\"background:#b00020\"></i>threshold</span>"
         "<span><i class=\"swatch\" style=\"background:#6c757d\"></i>capacity</span></p>";
  return out.str();
}

std::string confirm_form(const schedule_request& s, const proxy_view& v,
                         const std::map<std::string, std::int64_t>& versions,
                         const std::string& csrf) {
  std::ostringstream out;
  out << "<form method=\"post\" action=\"/schedule/move\" id=\"confirm-form\" class=\"note\">"
      << csrf_field(csrf) << "<input type=\"hidden\" name=\"proxy\" value=\"" << escape(s.proxy)
      << "\"><input type=\"hidden\" name=\"from\" value=\""
      << escape(domain::format_utc(s.range.start))
      << "\"><input type=\"hidden\" name=\"to\" value=\"" << escape(domain::format_utc(s.range.end))
      << "\">";
  int n = 0;
  for (const auto& j : v.jobs) {
    if (!j.moving) continue;
    const auto version = versions.find(j.id);
    if (version == versions.end()) continue;
    out << "<input type=\"hidden\" name=\"" << job_prefix << escape(j.id) << "\" value=\""
        << j.start << ":" << j.preview_start << ":" << version->second << "\">";
    ++n;
  }
  out << "Move " << n << (n == 1 ? " job" : " jobs")
      << " as previewed? <button type=\"submit\">Confirm move</button> "
      << "<a href=\"/schedule?proxy=" << escape(percent_encode(s.proxy))
      << "&amp;from=" << escape(percent_encode(domain::format_utc(s.range.start)))
      << "&amp;to=" << escape(percent_encode(domain::format_utc(s.range.end)))
      << "\">Cancel</a></form>";
  return out.str();
}

std::string job_table(const schedule_request& s, const proxy_view& v, const std::string& zone) {
  std::ostringstream out;
  out << "<form method=\"get\" action=\"/schedule\" id=\"move-form\"><input type=\"hidden\" "
         "name=\"proxy\" value=\""
      << escape(s.proxy) << "\"><input type=\"hidden\" name=\"from\" value=\""
      << escape(domain::format_utc(s.range.start))
      << "\"><input type=\"hidden\" name=\"to\" value=\"" << escape(domain::format_utc(s.range.end))
      << "\">"
      << "<fieldset><legend>Move jobs</legend><p>Select jobs and a new start for the earliest of "
         "them (the others keep "
         "their distance to it); the chart then shows the load that would result.</p>"
      << "<label>New start (" << escape(zone)
      << ") <input type=\"datetime-local\" name=\"new_start\" required value=\""
      << local_input(s.new_start.value_or(v.jobs.empty() ? s.range.start : v.jobs.front().start),
                     zone)
      << "\"></label> <button type=\"submit\">Preview move</button>"
      << "<table "
         "id=\"jobs\"><thead><tr><th></th><th>Job</th><th>Device</th><th>Start</th><th>Duration</"
         "th></tr></thead><tbody>";
  // Jobs come by start, and a rollout starts many at once: each start is written once.
  std::optional<instant> shown_start;
  std::string shown;
  for (const auto& j : v.jobs) {
    if (shown_start != j.start) {
      shown = escape(display_time(j.start, zone));
      shown_start = j.start;
    }
    out << "<tr><td><input type=\"checkbox\" name=\"" << move_prefix << escape(j.id)
        << "\" aria-label=\"select " << escape(j.id) << "\"" << (j.moving ? " checked" : "")
        << "></td><td>" << escape(j.id) << "</td><td>" << escape(j.device) << "</td><td>" << shown;
    if (j.moving)
      out << " → <strong>" << escape(display_time(j.preview_start, zone)) << "</strong>";
    out << "</td><td>" << (j.duration_s + 59) / 60 << " min</td></tr>";
  }
  out << "</tbody></table></fieldset></form>";
  return out.str();
}

/// The jobs a schedule request selects to move.
std::vector<std::string> selected_jobs(const std::map<std::string, std::string>& q) {
  std::vector<std::string> selected;
  for (const auto& [key, value] : q)
    if (key.rfind(move_prefix, 0) == 0) selected.push_back(key.substr(move_prefix.size()));
  return selected;
}

/// The proxy, range and proposed moves a schedule request asks for. `horizon` is the
/// active fleet's (none without an active job), `current` the start of each selected job
/// that is active.
domain::expected<schedule_request, failure> read_request(
    app_context& app, const request_context& ctx,
    const std::vector<distribution_api::topology_proxy>& proxies,
    const std::optional<domain::interval>& horizon, const std::map<std::string, instant>& current) {
  const auto& q = ctx.where.query;
  const auto& zone = app.config.display_time_zone;
  schedule_request s;
  s.proxy =
      q.count("proxy") ? q.at("proxy") : (proxies.empty() ? std::string() : proxies.front().id);
  s.range = horizon.value_or(domain::interval{app.now(), app.now() + domain::seconds_per_day});
  for (auto [name, slot] : {std::pair{"from", &s.range.start}, {"to", &s.range.end}})
    if (q.count(name)) {
      auto t = read_time(q, name, zone);
      if (!t) return t.failure();
      *slot = *t;
    }
  if (s.range.empty()) return invalid("query.to", "must be after from");
  if (s.range.length() > 31 * domain::seconds_per_day)
    return invalid("query.to", "show at most 31 days at once");
  const auto selected = selected_jobs(q);
  if (selected.empty()) return s;
  if (!q.count("new_start"))
    return invalid("query.new_start", "choose the new start of the selected jobs");
  auto new_start = read_time(q, "new_start", zone);
  if (!new_start) return new_start.failure();
  s.new_start = *new_start;
  instant earliest = std::numeric_limits<instant>::max();
  for (const auto& id : selected) {
    if (!current.count(id))
      return invalid(std::string(move_prefix) + id, "no active job '" + id + "'");
    earliest = std::min(earliest, current.at(id));
  }
  for (const auto& id : selected) s.moves[id] = *new_start + (current.at(id) - earliest);
  return s;
}

/// Reads the confirm form's `job.<id>=from:to:version` fields.
domain::expected<std::vector<distribution_api::move_record>, failure> read_moves(
    const std::map<std::string, std::string>& form) {
  std::vector<distribution_api::move_record> moves;
  for (const auto& [key, value] : form) {
    if (key.rfind(job_prefix, 0) != 0) continue;
    distribution_api::move_record m;
    m.job = key.substr(job_prefix.size());
    long long from = 0, to = 0, version = 0;
    char tail = 0;
    if (std::sscanf(value.c_str(), "%lld:%lld:%lld%c", &from, &to, &version, &tail) != 3)
      return invalid(key, "expected from:to:version");
    m.from = from;
    m.to = to;
    m.version = version;
    moves.push_back(std::move(m));
  }
  if (moves.empty()) return invalid("", "no job to move");
  return moves;
}

}  // namespace

void add_schedule_pages(router& r, app_context& app) {
  r.add({http::verb::get, "/schedule", access::operator_,
         [&app](const http_request&, request_context& ctx) -> http_response {
           const page_frame frame{"Schedule", ctx.operator_name, ctx.csrf, "schedule"};
           const auto& zone = app.config.display_time_zone;
           // One proxy's part of the fleet, read through the store's per-proxy job index:
           // the page costs what its proxy holds, however large the fleet.
           auto proxies = app.data.proxies();
           if (!proxies) return problem_response(proxies.failure());
           if (proxies->empty())
             return html_page(frame, "<p>No proxies yet: import a fleet or report a topology.</p>");
           auto horizon = app.data.active_horizon();
           if (!horizon) return problem_response(horizon.failure());
           const auto selected = selected_jobs(ctx.where.query);
           auto current = app.data.active_starts(selected);
           if (!current) return problem_response(current.failure());
           auto s = read_request(app, ctx, *proxies, *horizon, *current);
           if (!s)
             return html_page(
                 frame,
                 "<p class=\"note over\" role=\"alert\">" + escape(s.failure().detail) + "</p>",
                 http::status::bad_request);
           auto part = app.data.proxy_part_of(s->proxy, s->range, selected);
           if (!part) return problem_response(part.failure());
           auto view = build_proxy_view(part->fleet, s->proxy, s->range, s->moves);
           if (!view)
             return html_page(
                 frame,
                 "<p class=\"note over\" role=\"alert\">" + escape(view.failure().detail) + "</p>",
                 http::status::not_found);
           std::ostringstream body;
           const auto& q = ctx.where.query;
           if (q.count("applied"))
             body << "<p class=\"note\" id=\"outcome\" role=\"status\">Moved "
                  << escape(q.at("applied")) << " job(s)"
                  << (q.count("refused") && q.at("refused") != "0"
                          ? "; " + escape(q.at("refused")) +
                                " refused because they changed meanwhile (see History)"
                          : std::string())
                  << ".</p>";
           body << controls(*s, *proxies, zone) << summary(*view) << delivery_progress(part->jobs)
                << render_load_chart(*view, zone);
           if (view->has_preview)
             body << confirm_form(*s, *view, job_versions(part->jobs), ctx.csrf);
           body << job_table(*s, *view, zone);
           return html_page(frame, body.str());
         },
         0, false});
  r.add({http::verb::post, "/schedule/move", access::operator_,
         [&app](const http_request& req, request_context& ctx) -> http_response {
           auto form = parse_form(req.body());
           if (!form) return problem_response(invalid("", "the form could not be read"));
           auto moves = read_moves(*form);
           if (!moves) return problem_response(moves.failure());
           const auto request = distribution_api::write_adjustment({ctx.operator_name, "", *moves});
           auto applied =
               app.data.apply_adjustments({}, ctx.operator_name, request, *moves, app.now());
           if (!applied) return problem_response(applied.failure());
           auto outcome = outcome_of(applied->body);
           if (!outcome) return problem_response(outcome.failure());
           const auto field = [&](const char* name) {
             return form->count(name) ? form->at(name) : std::string();
           };
           return see_other("/schedule?proxy=" + percent_encode(field("proxy")) +
                            "&from=" + percent_encode(field("from")) +
                            "&to=" + percent_encode(field("to")) + outcome_query(*outcome));
         },
         0, false});
}

}  // namespace headroom::distribution
