// The warning screen (the patent's Fig. 7): open overload warnings, newest first, with
// acknowledge, a link to the schedule at that window, and the detector's suggested
// adjustment applied in one action.
#include <nlohmann/json.hpp>
#include <sstream>

#include "distribution/app.hpp"
#include "distribution/crypto.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution/pages/html.hpp"
#include "distribution/pages/pages.hpp"
#include "distribution/pages/stored_events.hpp"

namespace headroom::distribution {
namespace {

using nlohmann::json;

/// The schedule screen around a window: two hours either side.
std::string schedule_link(const std::string& proxy, instant start, instant end) {
  return "/schedule?proxy=" + percent_encode(proxy) +
         "&from=" + percent_encode(domain::format_utc(start - 7200)) +
         "&to=" + percent_encode(domain::format_utc(end + 7200));
}

domain::expected<std::string, failure> warning_rows(const event_record& e, const std::string& zone,
                                                    const std::string& csrf) {
  auto note = notification_of(e);
  if (!note) return note.failure();
  const auto& windows = note->windows;
  const auto moves = note->suggested_moves.size();
  std::ostringstream out;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    out << "<tr class=\"warning\" data-notification=\"" << e.seq << "\">";
    if (i == 0)
      out << "<td rowspan=\"" << windows.size() << "\"><strong>" << escape(e.proxy)
          << "</strong></td>";
    out << "<td>" << escape(local_time(w.start, zone)) << " – " << escape(local_time(w.end, zone))
        << "</td>"
        << "<td class=\"over\">" << w.peak << " / " << w.threshold << "</td><td>"
        << (w.peak - w.threshold) << "</td><td>";
    for (std::size_t j = 0; j < w.jobs.size(); ++j) out << (j ? ", " : "") << escape(w.jobs[j]);
    out << "</td><td><a href=\"" << escape(schedule_link(e.proxy, w.start, w.end))
        << "\">Schedule</a></td>";
    if (i == 0) {
      out << "<td rowspan=\"" << windows.size() << "\">" << escape(e.actor) << "<br><small>"
          << escape(local_time(e.received_at, zone)) << "</small></td><td rowspan=\""
          << windows.size() << "\">";
      if (moves > 0)
        out << "<form method=\"post\" action=\"/warnings/" << e.seq << "/apply\">"
            << csrf_field(csrf) << "<button type=\"submit\">Apply suggested adjustment (" << moves
            << (moves == 1 ? " move" : " moves") << ")</button></form>";
      out << "<form method=\"post\" action=\"/warnings/" << e.seq << "/acknowledge\">"
          << csrf_field(csrf)
          << "<button class=\"secondary\" type=\"submit\">Acknowledge</button></form></td>";
    }
    out << "</tr>";
  }
  return out.str();
}

domain::expected<std::int64_t, failure> notification_id(const request_context& ctx) {
  const auto& text = ctx.params.at("id");
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return failure{failure_kind::not_found, "", "no notification " + text};
  return std::stoll(text);
}

}  // namespace

void add_warning_pages(router& r, app_context& app) {
  r.add({http::verb::get, "/warnings", access::operator_,
         [&app](const http_request&, request_context& ctx) -> http_response {
           auto warnings = app.data.open_warnings();
           if (!warnings) return problem_response(warnings.failure());
           const auto& zone = app.config.display_time_zone;
           std::ostringstream body;
           if (warnings->empty()) {
             body << "<p class=\"ok\" id=\"no-warnings\">No open overload warnings.</p>";
           } else {
             body << "<p>The latest report of each proxy's detector, newest first. Times are in "
                  << escape(zone)
                  << ".</p><table id=\"warnings\"><thead><tr><th>Proxy</th><th>Window</th><th>Peak "
                     "/ threshold</th>"
                     "<th>Devices over</th><th>Jobs involved</th><th></th><th>Sent "
                     "by</th><th>Actions</th></tr></thead><tbody>";
             for (const auto& e : *warnings) {
               auto rows = warning_rows(e, zone, ctx.csrf);
               if (!rows) return problem_response(rows.failure());
               body << *rows;
             }
             body << "</tbody></table>";
           }
           return html_page({"Overload warnings", ctx.operator_name, ctx.csrf, "warnings"},
                            body.str());
         },
         0, false});
  r.add({http::verb::post, "/warnings/{id}/acknowledge", access::operator_,
         [&app](const http_request&, request_context& ctx) -> http_response {
           auto id = notification_id(ctx);
           if (!id) return problem_response(id.failure());
           if (auto n = app.data.notification(*id); !n) return problem_response(n.failure());
           if (auto done = app.data.acknowledge(*id, ctx.operator_name, app.now()); !done)
             return problem_response(done.failure());
           return see_other("/warnings");
         },
         0, false});
  r.add({http::verb::post, "/warnings/{id}/apply", access::operator_,
         [&app](const http_request&, request_context& ctx) -> http_response {
           auto id = notification_id(ctx);
           if (!id) return problem_response(id.failure());
           auto n = app.data.notification(*id);
           if (!n) return problem_response(n.failure());
           auto note = notification_of(*n);
           if (!note) return problem_response(note.failure());
           if (note->suggested_moves.empty())
             return problem_response(invalid(
                 "", "notification " + std::to_string(*id) + " carries no suggested adjustment"));
           // The suggestion is sent as it came (docs/api.md): the request keeps the detector's
           // own text of the moves, which writing note->suggested_moves again might not.
           const auto request =
               json{{"source", n->actor},
                    {"moves", json::parse(n->body)["suggested_adjustment"]["moves"]}}
                   .dump();
           // Keyed by the notification, so that a second click replays the first answer.
           const idempotency key{"pages-apply", "notification-" + std::to_string(*id),
                                 sha256_hex(request)};
           auto applied = app.data.apply_adjustments(key, ctx.operator_name, request,
                                                     note->suggested_moves, app.now());
           if (!applied) return problem_response(applied.failure());
           if (auto done = app.data.acknowledge(*id, ctx.operator_name, app.now()); !done)
             return problem_response(done.failure());
           auto outcome = outcome_of(applied->body);
           if (!outcome) return problem_response(outcome.failure());
           const auto& windows = note->windows;
           auto location = windows.empty()
                               ? "/schedule?proxy=" + percent_encode(n->proxy)
                               : schedule_link(n->proxy, windows.front().start, windows.back().end);
           return see_other(location + outcome_query(*outcome));
         },
         0, false});
}

}  // namespace headroom::distribution
