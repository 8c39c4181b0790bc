#pragma once

#include "distribution/app.hpp"
#include "distribution/http/router.hpp"

namespace headroom::distribution {

/// The name of the operator session cookie.
inline constexpr const char* session_cookie = "headroom_session";

/// Bearer token for machine routes; session cookie (and, on POST, the form's `csrf` field
/// matching the session's token) for operator pages.
access_guard make_access_guard(app_context& app);

/// The client's address: the TCP peer's, or, when the peer is one of
/// `server.trusted_proxies`, the last entry of its X-Forwarded-For.
std::string client_address(const app_context& app, const http_request& req,
                           const request_context& ctx);

/// The attributes every cookie of ours carries after its value: `; Path=PATH; HttpOnly;
/// SameSite=Strict`, and `; Secure` with `auth.secure_cookies` or when a trusted proxy
/// says (X-Forwarded-Proto) that the client spoke HTTPS.
std::string cookie_attributes(const app_context& app, const http_request& req,
                              const request_context& ctx, const std::string& path);

/// The value of one cookie of the request, or empty.
std::string cookie_value(const http_request& req, const std::string& name);

}  // namespace headroom::distribution
