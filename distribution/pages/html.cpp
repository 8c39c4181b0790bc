#include "distribution/pages/html.hpp"

#include <date/tz.h>

#include <sstream>
#include <stdexcept>

#include "common/html_escape.hpp"
#include "domain/maintenance.hpp"

namespace headroom::distribution {
namespace {

/// The display zone, or UTC when this machine does not know it (html.hpp).
const date::time_zone* display_zone(const std::string& zone) {
  if (const auto* found = domain::find_time_zone(zone, "UTC")) return found;
  throw std::runtime_error("the time zone database knows neither " + zone + " nor UTC");
}

/// One end of a displayed time: its date, its clock time and its zone's abbreviation.
struct shown {
  std::string date;
  std::string clock;
  std::string zone;
};

shown show(domain::instant t, const date::time_zone* zone, bool seconds) {
  const auto zoned = date::make_zoned(zone, date::sys_seconds{std::chrono::seconds{t}});
  return {date::format("%Y-%m-%d", zoned), date::format(seconds ? "%H:%M:%S" : "%H:%M", zoned),
          date::format("%Z", zoned)};
}

/// `from` (– `to`): a date only where it is not the one the reader already has (`context`,
/// then the first end's), an abbreviation only where the next one differs or at the end.
std::string write(const shown& from, const shown* to, const std::string& context) {
  std::string out = (from.date == context ? "" : from.date + " ") + from.clock;
  if (to == nullptr) return out + " " + from.zone;
  if (to->zone != from.zone) out += " " + from.zone;
  return out + " – " + (to->date == from.date ? "" : to->date + " ") + to->clock + " " + to->zone;
}

/// Whether times in the zone are UTC's at `t` (then UTC is not written twice).
bool is_utc(const date::time_zone* zone, domain::instant t) {
  const auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{t}});
  return info.offset.count() == 0 && info.abbrev == "UTC";
}

/// `display_time` and `display_span` (html.hpp): `to` is null for a single time.
std::string display(domain::instant from, const domain::instant* to, const std::string& zone) {
  const auto* local = display_zone(zone);
  const auto* utc = display_zone("UTC");
  // A span's seconds where an end has them: a window of 40 s is not "06:19 – 06:19".
  const bool seconds = to != nullptr && (from % 60 != 0 || *to % 60 != 0);
  const auto local_from = show(from, local, seconds);
  const auto local_to = to ? show(*to, local, seconds) : shown{};
  auto out = write(local_from, to ? &local_to : nullptr, "");
  if (is_utc(local, from) && (to == nullptr || is_utc(local, *to))) return out;
  const auto utc_from = show(from, utc, seconds);
  const auto utc_to = to ? show(*to, utc, seconds) : shown{};
  return out + " (" + write(utc_from, to ? &utc_to : nullptr, local_from.date) + ")";
}

constexpr const char* style = R"css(
body{font-family:system-ui,sans-serif;margin:0;color:#1d232b;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.4rem;align-items:center}
header a{color:#dce6f2;text-decoration:none}header a.active{color:#fff;font-weight:600;border-bottom:2px solid #ffb703}
header .who{margin-left:auto;display:flex;gap:.6rem;align-items:center}
main{padding:1rem 1.4rem;max-width:1100px}
table{border-collapse:collapse;width:100%;background:#fff;margin:.6rem 0}
th,td{border-bottom:1px solid #e2e5ea;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
th{background:#eef1f5}
.over{color:#b00020;font-weight:600}.ok{color:#2a7a2a}
.note{background:#fff8e1;border-left:4px solid #ffb703;padding:.5rem .8rem;margin:.6rem 0}
button,input[type=submit]{background:#1d3557;color:#fff;border:0;padding:.35rem .8rem;border-radius:3px;cursor:pointer}
button.secondary{background:#6c757d}
form.inline{display:inline}
fieldset{border:1px solid #d0d5dc;background:#fff;margin:.6rem 0}
section.proxy-warning{background:#fff;border:1px solid #e2e5ea;border-left:4px solid #b00020;padding:.6rem .9rem;margin:.9rem 0}
.proxy-head{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center}
.proxy-head h2{margin:0;font-size:1.15rem}.meta{color:#555;font-size:.9rem}
.proxy-head .actions{margin-left:auto;display:flex;gap:.4rem}
td.when{min-width:11rem}small.utc{color:#555}
details.jobs summary{cursor:pointer;color:#1d3557;white-space:nowrap}
details.jobs p{max-height:12rem;overflow:auto;font-size:.85rem;margin:.3rem 0;max-width:18rem}
.legend span{margin-right:1rem}.swatch{display:inline-block;width:1.2rem;height:.25rem;vertical-align:middle;margin-right:.3rem}
)css";

}  // namespace

std::string escape(std::string_view text) { return common::html_escape(text); }

std::string local_time(domain::instant t, const std::string& zone) {
  const auto zoned =
      date::make_zoned(display_zone(zone), date::sys_seconds{std::chrono::seconds{t}});
  return date::format("%Y-%m-%d %H:%M %Z", zoned);
}

std::string display_time(domain::instant t, const std::string& zone) {
  return display(t, nullptr, zone);
}

std::string display_span(domain::interval span, const std::string& zone) {
  return display(span.start, &span.end, zone);
}

std::string local_input(domain::instant t, const std::string& zone) {
  const auto zoned =
      date::make_zoned(display_zone(zone), date::sys_seconds{std::chrono::seconds{t}});
  return date::format("%Y-%m-%dT%H:%M", zoned);
}

domain::expected<domain::instant> parse_local_input(const std::string& text,
                                                    const std::string& zone) {
  std::istringstream in(text);
  date::local_seconds local;
  in >> date::parse("%Y-%m-%dT%H:%M", local);
  if (in.fail())
    return domain::error{"", "expected a date and time like 2026-12-01T14:30, got '" + text + "'"};
  try {
    // A time skipped or repeated by a DST change resolves to the earlier instant.
    const auto sys = display_zone(zone)->to_sys(local, date::choose::earliest);
    return static_cast<domain::instant>(sys.time_since_epoch().count());
  } catch (const std::exception& e) {
    return domain::error{"", e.what()};
  }
}

std::string csrf_field(const std::string& csrf) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">";
}

http_response html_page(const page_frame& frame, const std::string& body, http::status status) {
  std::ostringstream out;
  out << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>" << escape(frame.title) << " · Headroom distribution</title><style>" << style
      << "</style></head><body>"
      << "<header><strong>Headroom distribution</strong>";
  if (!frame.operator_name.empty()) {
    for (auto [id, label] :
         {std::pair{"warnings", "Warnings"}, {"schedule", "Schedule"}, {"history", "History"}})
      out << "<a href=\"/" << id << "\"" << (frame.active == id ? " class=\"active\"" : "") << ">"
          << label << "</a>";
    out << "<span class=\"who\">" << escape(frame.operator_name)
        << "<form class=\"inline\" method=\"post\" action=\"/logout\">" << csrf_field(frame.csrf)
        << "<button class=\"secondary\" type=\"submit\">Log out</button></form></span>";
  }
  out << "</header><main><h1>" << escape(frame.title) << "</h1>" << body << "</main></body></html>";
  http_response res{status, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.set(
      "Content-Security-Policy",
      "default-src 'self'; style-src 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'");
  res.set("X-Frame-Options", "DENY");
  res.body() = out.str();
  return res;
}

http_response see_other(const std::string& location) {
  http_response res{http::status::see_other, 11};
  res.set(http::field::location, location);
  res.set(http::field::content_type, "text/plain");
  res.body() = "see " + location;
  return res;
}

}  // namespace headroom::distribution
