#pragma once
// Server-rendered HTML: escaping, the page frame, times in the operator's zone.

#include <string>
#include <string_view>

#include "distribution/http/types.hpp"
#include "domain/time.hpp"

namespace headroom::distribution {

/// Escapes text for HTML content and attribute values.
std::string escape(std::string_view text);

/// `YYYY-MM-DD HH:MM` in an IANA zone (with its abbreviation); UTC when the zone is unknown.
std::string local_time(domain::instant t, const std::string& zone);

/// A time as every page shows it: in the display zone and, unless that is UTC, in UTC beside
/// it, the UTC date only where it differs: `2026-12-08 02:00 CET (01:00 UTC)`.
std::string display_time(domain::instant t, const std::string& zone);

/// A span the same way, each date written once: `2026-12-08 02:00 – 02:30 CET (01:00 – 01:30
/// UTC)`, or `2026-12-08 00:30 – 01:00 CET (2026-12-07 23:30 – 2026-12-08 00:00 UTC)`; with
/// seconds when an end is not on a whole minute.
std::string display_span(domain::interval span, const std::string& zone);

/// The value for an `<input type="datetime-local">` in the zone.
std::string local_input(domain::instant t, const std::string& zone);

/// Parses an `<input type="datetime-local">` value (`YYYY-MM-DDTHH:MM`) as a time in the zone.
domain::expected<domain::instant> parse_local_input(const std::string& text,
                                                    const std::string& zone);

/// What every operator page shares: who is logged in and the form token.
struct page_frame {
  std::string title;
  std::string operator_name;
  std::string csrf;
  std::string active;  ///< "warnings", "schedule" or "history".
};

/// A whole page: header with navigation and log-out form, then `body`.
http_response html_page(const page_frame& frame, const std::string& body,
                        http::status status = http::status::ok);

/// The hidden CSRF field every state-changing form carries.
std::string csrf_field(const std::string& csrf);

/// 303 to `location`: the answer to every successful form post.
http_response see_other(const std::string& location);

}  // namespace headroom::distribution
