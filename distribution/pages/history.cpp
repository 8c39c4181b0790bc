// History: notifications received and adjustments applied or refused, with who and when.
#include <sstream>

#include "distribution/app.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution/pages/html.hpp"
#include "distribution/pages/pages.hpp"
#include "distribution/pages/stored_events.hpp"

namespace headroom::distribution {
namespace {

constexpr int history_page = 50;

std::int64_t before(const request_context& ctx, const char* name) {
  const auto it = ctx.where.query.find(name);
  if (it == ctx.where.query.end() || it->second.empty() || it->second.size() > 18 ||
      it->second.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::stoll(it->second);
}

domain::expected<std::string, failure> notification_table(const page<event_record>& rows,
                                                          const std::string& zone) {
  std::ostringstream out;
  out << "<table "
         "id=\"notifications\"><thead><tr><th>#</th><th>Received</th><th>Detector</th><th>Proxy</"
         "th>"
         "<th>Windows</th><th>Worst peak / threshold</th><th>Acknowledged</th></tr></thead><tbody>";
  for (const auto& e : rows.items) {
    auto note = notification_of(e);
    if (!note) return note.failure();
    const auto& windows = note->windows;
    std::int32_t peak = 0, threshold = 0;
    for (const auto& w : windows)
      if (w.peak - w.threshold >= peak - threshold) peak = w.peak, threshold = w.threshold;
    out << "<tr><td>" << e.seq << "</td><td>" << escape(display_time(e.received_at, zone))
        << "</td><td>" << escape(e.actor) << "</td><td>" << escape(e.proxy) << "</td><td>"
        << (windows.empty() ? "none (cleared)" : std::to_string(windows.size())) << "</td><td>"
        << (windows.empty() ? "" : std::to_string(peak) + " / " + std::to_string(threshold))
        << "</td><td>"
        << (e.acknowledged_at
                ? escape(e.acknowledged_by) + ", " + escape(display_time(*e.acknowledged_at, zone))
                : "")
        << "</td></tr>";
  }
  out << "</tbody></table>";
  return out.str();
}

domain::expected<std::string, failure> adjustment_table(const page<event_record>& rows,
                                                        const std::string& zone) {
  std::ostringstream out;
  out << "<table "
         "id=\"adjustments\"><thead><tr><th>#</th><th>When</th><th>Who</th><th>Applied</"
         "th><th>Refused</th>"
         "<th>Moves</th></tr></thead><tbody>";
  for (const auto& e : rows.items) {
    auto outcome = outcome_of(e.answer);
    if (!outcome) return outcome.failure();
    const auto applied = outcome->applied();
    out << "<tr><td>" << e.seq << "</td><td>" << escape(display_time(e.received_at, zone))
        << "</td><td>" << escape(e.actor) << "</td><td>" << applied << "</td><td>"
        << outcome->results.size() - applied << "</td><td><ul>";
    for (const auto& r : outcome->results) {
      out << "<li>" << escape(r.job) << ": ";
      if (r.applied)
        out << escape(display_time(r.from, zone)) << " → " << escape(display_time(r.to, zone));
      else
        out << "<span class=\"over\">refused</span>, " << escape(r.detail);
      out << "</li>";
    }
    out << "</ul></td></tr>";
  }
  out << "</tbody></table>";
  return out.str();
}

}  // namespace

void add_history_pages(router& r, app_context& app) {
  r.add({http::verb::get, "/history", access::operator_,
         [&app](const http_request&, request_context& ctx) -> http_response {
           const auto& zone = app.config.display_time_zone;
           auto notifications = app.data.notifications(
               std::nullopt, before(ctx, "notifications_before"), history_page);
           if (!notifications) return problem_response(notifications.failure());
           auto adjustments = app.data.adjustments(before(ctx, "adjustments_before"), history_page);
           if (!adjustments) return problem_response(adjustments.failure());
           auto adjustment_rows = adjustment_table(*adjustments, zone);
           if (!adjustment_rows) return problem_response(adjustment_rows.failure());
           auto notification_rows = notification_table(*notifications, zone);
           if (!notification_rows) return problem_response(notification_rows.failure());
           std::ostringstream body;
           body << "<h2>Adjustments</h2>" << *adjustment_rows;
           if (adjustments->next_after)
             body << "<p><a href=\"/history?adjustments_before=" << *adjustments->next_after
                  << "\">Older adjustments</a></p>";
           body << "<h2>Notifications</h2>" << *notification_rows;
           if (notifications->next_after)
             body << "<p><a href=\"/history?notifications_before=" << *notifications->next_after
                  << "\">Older notifications</a></p>";
           return html_page({"History", ctx.operator_name, ctx.csrf, "history"}, body.str());
         },
         0, false});
}

}  // namespace headroom::distribution
