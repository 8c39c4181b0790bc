// The warning screen (the patent's Fig. 7): open overload warnings, newest first, read at a
// glance — how many proxies, windows and deliveries are at risk, then per proxy its windows,
// each with a small chart of the load around it and its jobs folded to a count — with
// acknowledge, a link to the schedule at that window, and the detector's suggested
// adjustment applied in one action.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "distribution/app.hpp"
#include "distribution/crypto.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution/pages/html.hpp"
#include "distribution/pages/load_chart.hpp"
#include "distribution/pages/pages.hpp"
#include "distribution/pages/stored_events.hpp"

namespace headroom::distribution {
namespace {

using distribution_api::notification_record;
using distribution_api::window_record;
using nlohmann::json;

/// The schedule screen around a window: two hours either side.
std::string schedule_link(const std::string& proxy, instant start, instant end) {
  return "/schedule?proxy=" + percent_encode(proxy) +
         "&from=" + percent_encode(domain::format_utc(start - 7200)) +
         "&to=" + percent_encode(domain::format_utc(end + 7200));
}

/// What a window's chart shows: the window and half its length either side, at least half an
/// hour and at most three hours.
domain::interval around(const window_record& w) {
  const auto margin = std::clamp<std::int64_t>((w.end - w.start) / 2, 1800, 3 * 3600);
  return {w.start - margin, w.end + margin};
}

/// A displayed time with its UTC part (html.hpp: " (… UTC)") on a line of its own, in grey.
std::string two_lines(const std::string& shown) {
  const auto utc = shown.find(" (");
  if (utc == std::string::npos) return escape(shown);
  return escape(shown.substr(0, utc)) + "<br><small class=\"utc\">" +
         escape(shown.substr(utc + 1)) + "</small>";
}

/// An open warning: the stored event and the notification it holds.
struct open_warning {
  const event_record* event;
  notification_record note;
};

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::size_t distinct_jobs(const std::vector<window_record>& windows) {
  std::set<std::string> jobs;
  for (const auto& w : windows) jobs.insert(w.jobs.begin(), w.jobs.end());
  return jobs.size();
}

/// The line at the top: proxies overloaded, windows, deliveries at risk (distinct jobs).
std::string summary(const std::vector<open_warning>& warnings, const std::string& zone) {
  std::set<std::string> jobs;
  std::size_t windows = 0;
  for (const auto& w : warnings) {
    windows += w.note.windows.size();
    for (const auto& window : w.note.windows) jobs.insert(window.jobs.begin(), window.jobs.end());
  }
  std::ostringstream out;
  out << "<p id=\"warning-summary\" class=\"note\" data-proxies=\"" << warnings.size()
      << "\" data-windows=\"" << windows << "\" data-jobs=\"" << jobs.size() << "\"><strong>"
      << plural(warnings.size(), "proxy", "proxies")
      << "</strong> overloaded in the horizon, in <strong>" << plural(windows, "window", "windows")
      << "</strong>: <strong>" << plural(jobs.size(), "delivery", "deliveries")
      << "</strong> at risk.</p>"
      << "<p>The latest report of each proxy's detector, newest first. Times are in "
      << escape(zone) << " (UTC in brackets); each chart shows the load predicted now around "
      << "the reported window (outlined) against the threshold (dashed).</p>";
  return out.str();
}

/// One window's row: when, how far over, the chart, the jobs folded to their count.
std::string window_row(const open_warning& w, std::size_t i, const std::optional<proxy_view>& view,
                       const std::string& zone) {
  const auto& e = *w.event;
  const auto& window = w.note.windows[i];
  std::ostringstream out;
  out << "<tr class=\"warning\" data-notification=\"" << e.seq << "\"><td class=\"when\">"
      << two_lines(display_span({window.start, window.end}, zone))
      << "</td><td><span class=\"over\">" << window.peak << " / " << window.threshold
      << "</span><br><small>"
      << plural(static_cast<std::size_t>(std::max(0, window.peak - window.threshold)),
                "device over", "devices over")
      << "</small></td><td>";
  if (view) {
    chart_style style;
    style.id = "chart-" + std::to_string(e.seq) + "-" + std::to_string(i);
    style.compact = true;
    style.marked = domain::interval{window.start, window.end};
    out << render_load_chart(*view, zone, style);
  } else {
    out << "<small>No prediction: the fleet has no proxy " << escape(e.proxy) << ".</small>";
  }
  out << "</td><td><details class=\"jobs\"><summary>" << plural(window.jobs.size(), "job", "jobs")
      << "</summary><p>";
  for (std::size_t j = 0; j < window.jobs.size(); ++j)
    out << (j ? ", " : "") << escape(window.jobs[j]);
  out << "</p></details></td><td><a href=\""
      << escape(schedule_link(e.proxy, window.start, window.end)) << "\">Schedule</a></td></tr>";
  return out.str();
}

/// One proxy's warning: who reported it and when, the actions, then its windows.
std::string proxy_section(const open_warning& w,
                          const std::vector<std::optional<proxy_view>>& views,
                          std::size_t first_view, const std::string& zone,
                          const std::string& csrf) {
  const auto& e = *w.event;
  const auto& windows = w.note.windows;
  const auto moves = w.note.suggested_moves.size();
  std::ostringstream out;
  out << "<section class=\"proxy-warning\" data-notification=\"" << e.seq
      << "\"><div class=\"proxy-head\"><h2>" << escape(e.proxy) << "</h2><span class=\"meta\">"
      << plural(windows.size(), "window", "windows") << ", "
      << plural(distinct_jobs(windows), "delivery", "deliveries") << " at risk · sent by "
      << escape(e.actor) << ", " << escape(display_time(e.received_at, zone))
      << "</span><div class=\"actions\">";
  if (moves > 0)
    out << "<form method=\"post\" action=\"/warnings/" << e.seq << "/apply\">" << csrf_field(csrf)
        << "<button type=\"submit\">Apply suggested adjustment (" << plural(moves, "move", "moves")
        << ")</button></form>";
  out << "<form method=\"post\" action=\"/warnings/" << e.seq << "/acknowledge\">"
      << csrf_field(csrf)
      << "<button class=\"secondary\" type=\"submit\">Acknowledge</button></form></div></div>"
      << "<table class=\"windows\"><thead><tr><th>Window</th><th>Peak / threshold</th><th>Load "
         "around the window</th><th>Jobs involved</th><th></th></tr></thead><tbody>";
  for (std::size_t i = 0; i < windows.size(); ++i)
    out << window_row(w, i, views[first_view + i], zone);
  out << "</tbody></table></section>";
  return out.str();
}

/// The whole screen for the open warnings, newest first.
domain::expected<std::string, failure> warnings_body(app_context& app,
                                                     const std::vector<event_record>& events,
                                                     const std::string& csrf) {
  const auto& zone = app.config.display_time_zone;
  std::vector<open_warning> warnings;
  std::vector<view_request> wanted;
  for (const auto& e : events) {
    auto note = notification_of(e);
    if (!note) return note.failure();
    for (const auto& window : note->windows) wanted.push_back({e.proxy, around(window)});
    warnings.push_back({&e, std::move(*note)});
  }
  auto fleet = app.data.export_fleet(true);
  if (!fleet) return fleet.failure();
  const auto views = build_current_views(*fleet, wanted);
  std::ostringstream body;
  body << summary(warnings, zone) << "<div id=\"warnings\">";
  std::size_t first_view = 0;
  for (const auto& w : warnings) {
    body << proxy_section(w, views, first_view, zone, csrf);
    first_view += w.note.windows.size();
  }
  body << "</div>";
  return body.str();
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
           const page_frame frame{"Overload warnings", ctx.operator_name, ctx.csrf, "warnings"};
           if (warnings->empty())
             return html_page(frame,
                              "<p class=\"ok\" id=\"no-warnings\">No open overload warnings.</p>");
           auto body = warnings_body(app, *warnings, ctx.csrf);
           if (!body) return problem_response(body.failure());
           return html_page(frame, *body);
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
