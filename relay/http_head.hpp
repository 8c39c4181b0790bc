#pragma once
// Hardened HTTP/1.1 message heads, in the spirit of Envoy's and HAProxy's parsers:
// anything a smuggling attack could hide in (Content-Length with Transfer-Encoding,
// duplicate or malformed lengths, obs-fold, bare LF, NUL or CR in values, whitespace
// before the colon) is refused instead of being interpreted leniently.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relay/http_error.hpp"

namespace headroom::relay {

struct http_limits {
  std::size_t max_request_line = 8 * 1024;  ///< Longer: 431.
  std::size_t max_head_bytes = 32 * 1024;   ///< Request line plus headers; longer: 431.
  std::size_t max_headers = 100;            ///< More header lines: 431.
};

struct header_field {
  std::string name;   ///< As received.
  std::string value;  ///< Without surrounding whitespace.
};

/// How the body after a head is delimited.
enum class body_framing { none, length, chunked, until_close };

struct request_head {
  std::string method;
  std::string target;
  int version_minor = 1;  ///< HTTP/1.<minor>
  std::vector<header_field> headers;
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;
  bool keep_alive = true;
  bool expect_continue = false;
  std::optional<std::string> host;
  std::optional<std::string> proxy_authorization;
};

struct response_head {
  int version_minor = 1;
  int status = 0;
  std::string reason;
  std::vector<header_field> headers;
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;
  bool keep_alive = true;
};

/// Scans `data` for the blank line ending a head. Returns the head's length including
/// the final CRLF CRLF, 0 while incomplete, or an error: bare LF (400), request line or
/// head over the limits (431). `scanned` carries the scan position across calls so that
/// a byte-by-byte sender costs linear time; start it at 0 for each head.
http_result<std::size_t> find_head_end(std::string_view data, std::size_t& scanned,
                                       const http_limits& limits);

/// Parses a complete request head (as delimited by find_head_end).
http_result<request_head> parse_request_head(std::string_view head, const http_limits& limits);

/// Parses a complete response head; `to_head_request` and the status decide the framing.
/// Errors carry 502: a broken upstream is not the device's fault.
http_result<response_head> parse_response_head(std::string_view head, bool to_head_request,
                                               const http_limits& limits);

/// The head to send upstream: origin-form target, HTTP/1.1, hop-by-hop fields removed,
/// a Via field added.
std::string forward_request_head(const request_head& head, std::string_view origin_form,
                                 std::string_view host, std::string_view via);

/// The head to send the device: hop-by-hop fields removed, `Connection: close` added
/// when the relay closes the connection after this response.
std::string forward_response_head(const response_head& head, bool keep_alive, std::string_view via);

/// A complete response the relay itself sends (errors, 200 for CONNECT, 100 Continue).
std::string relay_response(int status, std::string_view body,
                           const std::vector<header_field>& extra, bool close);

/// The reason phrase of the statuses the relay produces.
std::string_view reason_phrase(int status);

}  // namespace headroom::relay
