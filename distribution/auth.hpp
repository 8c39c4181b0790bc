#pragma once

#include "distribution/app.hpp"
#include "distribution/http/router.hpp"

namespace headroom::distribution {

/// The name of the operator session cookie.
inline constexpr const char* session_cookie = "headroom_session";

/// Bearer token for machine routes; session cookie (and, on POST, the form's `csrf` field
/// matching the session's token) for operator pages.
access_guard make_access_guard(app_context& app);

/// The value of one cookie of the request, or empty.
std::string cookie_value(const http_request& req, const std::string& name);

}  // namespace headroom::distribution
