#include "relay/http_head.hpp"

#include <algorithm>
#include <array>

#include "relay/ascii.hpp"

namespace headroom::relay {
namespace {

// RFC 9110 tchar, as a table: header names are checked byte by byte.
constexpr auto token_chars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = is_ascii_alnum(static_cast<char>(c));
  for (char c : std::string_view{"!#$%&'*+-.^_`|~"}) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_token_char(char c) { return token_chars[static_cast<unsigned char>(c)]; }

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The fields that describe one connection, never forwarded (RFC 9110 7.6.1).
constexpr std::array<std::string_view, 9> hop_by_hop{"connection",
                                                     "proxy-connection",
                                                     "keep-alive",
                                                     "proxy-authorization",
                                                     "proxy-authenticate",
                                                     "te",
                                                     "trailer",
                                                     "upgrade",
                                                     "expect"};

bool is_hop_by_hop(std::string_view name, const std::vector<std::string>& connection_tokens) {
  for (auto h : hop_by_hop)
    if (iequals(name, h)) return true;
  for (const auto& t : connection_tokens)
    if (iequals(name, t)) return true;
  return false;
}

std::vector<std::string> connection_tokens(const std::vector<header_field>& headers) {
  std::vector<std::string> tokens;
  for (const auto& h : headers) {
    if (!iequals(h.name, "connection") && !iequals(h.name, "proxy-connection")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto token = trim_ows(rest.substr(0, comma));
      if (!token.empty()) tokens.emplace_back(token);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return tokens;
}

bool has_token(const std::vector<std::string>& tokens, std::string_view token) {
  return std::any_of(tokens.begin(), tokens.end(),
                     [&](const auto& t) { return iequals(t, token); });
}

// A Connection option naming a field that frames or routes the message: forwarding strips
// the fields Connection names, so the next hop would frame the body (or pick the host)
// differently from the relay (RFC 9110 7.6.1 forbids sending such options).
std::optional<std::string> end_to_end_option(const std::vector<std::string>& tokens, bool request) {
  for (std::string_view field : {"content-length", "transfer-encoding", "host"})
    if ((request || field != "host") && has_token(tokens, field))
      return "Connection names the end-to-end field '" + std::string(field) + "'";
  return std::nullopt;
}

// Splits the header lines after the start line and checks each one.
http_result<std::vector<header_field>> parse_fields(std::string_view lines,
                                                    const http_limits& limits) {
  std::vector<header_field> fields;
  fields.reserve(16);  // most heads have fewer fields: one allocation
  while (!lines.empty()) {
    auto end = lines.find("\r\n");
    auto line = lines.substr(0, end);
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 2);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t')
      return bad_request("obsolete line folding in header field");
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return bad_request("header line without a colon: '" + std::string(line.substr(0, 64)) + "'");
    auto name = line.substr(0, colon);
    if (!is_token(name))
      return bad_request("bad header name '" + std::string(name.substr(0, 64)) +
                         "' (whitespace before the colon or a non-token character)");
    auto value = trim_ows(line.substr(colon + 1));
    for (char c : value) {
      auto u = static_cast<unsigned char>(c);
      if (u == 0) return bad_request("NUL in header field '" + std::string(name) + "'");
      if (u == '\r') return bad_request("CR in header field '" + std::string(name) + "'");
      if ((u < 0x20 && u != '\t') || u == 0x7f)
        return bad_request("control character in header field '" + std::string(name) + "'");
    }
    if (fields.size() == limits.max_headers)
      return too_large("more than " + std::to_string(limits.max_headers) + " header fields");
    fields.push_back({std::string(name), std::string(value)});
  }
  return fields;
}

struct framing_fields {
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;
};

// Content-Length and Transfer-Encoding, refusing every combination a front and a back
// end could read differently.
http_result<framing_fields> body_framing_of(const std::vector<header_field>& fields,
                                            int version_minor) {
  const header_field* length = nullptr;
  const header_field* encoding = nullptr;
  for (const auto& f : fields) {
    if (iequals(f.name, "content-length")) {
      if (length) return bad_request("duplicate Content-Length");
      length = &f;
    } else if (iequals(f.name, "transfer-encoding")) {
      if (encoding) return bad_request("several Transfer-Encoding fields");
      encoding = &f;
    }
  }
  framing_fields out;
  if (encoding) {
    if (length) return bad_request("Content-Length together with Transfer-Encoding");
    if (version_minor == 0) return bad_request("Transfer-Encoding in an HTTP/1.0 message");
    if (encoding->value != "chunked")
      return bad_request("Transfer-Encoding '" + encoding->value.substr(0, 64) +
                         "' is not exactly 'chunked'");
    out.framing = body_framing::chunked;
    return out;
  }
  if (length) {
    const auto& v = length->value;
    if (v.empty() || v.size() > 18 ||
        !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return bad_request("malformed Content-Length '" + v.substr(0, 64) + "'");
    out.content_length = std::stoull(v);
    out.framing = out.content_length == 0 ? body_framing::none : body_framing::length;
  }
  return out;
}

http_result<int> parse_version(std::string_view text) {
  if (text == "HTTP/1.1") return 1;
  if (text == "HTTP/1.0") return 0;
  return http_error{505, relay::refusal_reason::malformed,
                    "unsupported protocol version '" + std::string(text.substr(0, 16)) + "'"};
}

const std::string* find_field(const std::vector<header_field>& fields, std::string_view name,
                              int& count) {
  const std::string* found = nullptr;
  count = 0;
  for (const auto& f : fields)
    if (iequals(f.name, name)) {
      found = &f.value;
      ++count;
    }
  return found;
}

http_error as_upstream_error(http_error e) {
  e.status = 502;
  e.reason = relay::refusal_reason::upstream_failed;
  e.what = "upstream response: " + e.what;
  return e;
}

}  // namespace

http_result<std::size_t> find_head_end(std::string_view data, std::size_t& scanned,
                                       const http_limits& limits) {
  for (std::size_t i = scanned; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    if (i == 0 || data[i - 1] != '\r') return bad_request("bare LF in message head");
    if (i >= 3 && data[i - 2] == '\n' && data[i - 3] == '\r') {
      if (i + 1 > limits.max_head_bytes)
        return too_large("message head over " + std::to_string(limits.max_head_bytes) + " bytes");
      scanned = 0;
      return i + 1;
    }
  }
  scanned = data.size();
  auto line_end = data.find("\r\n");
  // A CR at the end may be the first half of the line's CRLF: not part of the line.
  auto first_line = line_end != std::string_view::npos ? line_end
                    : data.ends_with('\r')             ? data.size() - 1
                                                       : data.size();
  if (first_line > limits.max_request_line)
    return too_large("request line over " + std::to_string(limits.max_request_line) + " bytes");
  if (data.size() >= limits.max_head_bytes)
    return too_large("message head over " + std::to_string(limits.max_head_bytes) + " bytes");
  return std::size_t{0};
}

http_result<request_head> parse_request_head(std::string_view head, const http_limits& limits) {
  auto line_end = head.find("\r\n");
  auto line = head.substr(0, line_end);
  if (line.size() > limits.max_request_line)
    return too_large("request line over " + std::to_string(limits.max_request_line) + " bytes");
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    return bad_request("request line is not 'METHOD TARGET VERSION'");
  request_head out;
  out.method = std::string(line.substr(0, sp1));
  out.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  if (!is_token(out.method)) return bad_request("bad method");
  if (out.target.empty()) return bad_request("empty request target");
  for (char c : out.target) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return bad_request("control character in request target");
  }
  auto version = parse_version(line.substr(sp2 + 1));
  if (!version) return version.failure();
  out.version_minor = *version;
  auto fields = parse_fields(head.substr(line_end + 2), limits);
  if (!fields) return fields.failure();
  out.headers = std::move(*fields);
  auto framing = body_framing_of(out.headers, out.version_minor);
  if (!framing) return framing.failure();
  out.framing = framing->framing;
  out.content_length = framing->content_length;
  int count = 0;
  if (auto host = find_field(out.headers, "host", count); host) {
    if (count > 1) return bad_request("several Host fields");
    out.host = *host;
  } else if (out.version_minor == 1) {
    return bad_request("HTTP/1.1 request without Host");
  }
  if (auto auth = find_field(out.headers, "proxy-authorization", count); auth) {
    if (count > 1) return bad_request("several Proxy-Authorization fields");
    out.proxy_authorization = *auth;
  }
  if (auto expect = find_field(out.headers, "expect", count); expect) {
    if (count > 1 || !iequals(*expect, "100-continue"))
      return http_error{417, relay::refusal_reason::malformed, "unsupported Expect"};
    out.expect_continue = true;
  }
  auto tokens = connection_tokens(out.headers);
  if (auto named = end_to_end_option(tokens, true)) return bad_request(*named);
  out.keep_alive =
      out.version_minor == 1 ? !has_token(tokens, "close") : has_token(tokens, "keep-alive");
  if (out.method == "CONNECT" && out.framing != body_framing::none)
    return bad_request("CONNECT with a body");
  return out;
}

http_result<response_head> parse_response_head(std::string_view head, bool to_head_request,
                                               const http_limits& limits) {
  auto line_end = head.find("\r\n");
  auto line = head.substr(0, line_end);
  if (line.size() < 12 || line[8] != ' ' || (line.size() > 12 && line[12] != ' '))
    return as_upstream_error(bad_request("bad status line"));
  auto version = parse_version(line.substr(0, 8));
  if (!version) return as_upstream_error(version.failure());
  response_head out;
  out.version_minor = *version;
  auto code = line.substr(9, 3);
  if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return as_upstream_error(bad_request("bad status code"));
  out.status = std::stoi(std::string(code));
  if (out.status < 100) return as_upstream_error(bad_request("bad status code"));
  out.reason = line.size() > 13 ? std::string(line.substr(13)) : std::string();
  // Forwarded to the device as it is: a bare CR there could end the line for a lenient reader.
  for (char c : out.reason) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7f)
      return as_upstream_error(bad_request("control character in the reason phrase"));
  }
  auto fields = parse_fields(head.substr(line_end + 2), limits);
  if (!fields) return as_upstream_error(fields.failure());
  out.headers = std::move(*fields);
  auto framing = body_framing_of(out.headers, out.version_minor);
  if (!framing) return as_upstream_error(framing.failure());
  bool bodiless = to_head_request || out.status < 200 || out.status == 204 || out.status == 304;
  int count = 0;
  bool has_length = find_field(out.headers, "content-length", count) != nullptr;
  out.content_length = framing->content_length;
  if (bodiless)
    out.framing = body_framing::none;
  else if (framing->framing == body_framing::none && !has_length)
    out.framing = body_framing::until_close;
  else
    out.framing = framing->framing;
  auto tokens = connection_tokens(out.headers);
  if (auto named = end_to_end_option(tokens, false)) return as_upstream_error(bad_request(*named));
  out.keep_alive =
      out.framing != body_framing::until_close &&
      (out.version_minor == 1 ? !has_token(tokens, "close") : has_token(tokens, "keep-alive"));
  return out;
}

std::string forward_request_head(const request_head& head, std::string_view origin_form,
                                 std::string_view host, std::string_view via) {
  auto tokens = connection_tokens(head.headers);
  std::string out;
  out.reserve(512);
  out.append(head.method).append(" ").append(origin_form).append(" HTTP/1.1\r\n");
  if (!head.host) out.append("Host: ").append(host).append("\r\n");
  for (const auto& f : head.headers) {
    if (is_hop_by_hop(f.name, tokens)) continue;
    out.append(f.name).append(": ").append(f.value).append("\r\n");
  }
  out.append("Via: 1.1 ").append(via).append("\r\n\r\n");
  return out;
}

std::string forward_response_head(const response_head& head, bool keep_alive,
                                  std::string_view via) {
  auto tokens = connection_tokens(head.headers);
  std::string out;
  out.reserve(512);
  out.append("HTTP/1.1 ")
      .append(std::to_string(head.status))
      .append(" ")
      .append(head.reason)
      .append("\r\n");
  for (const auto& f : head.headers) {
    if (is_hop_by_hop(f.name, tokens)) continue;
    out.append(f.name).append(": ").append(f.value).append("\r\n");
  }
  out.append("Via: 1.1 ").append(via).append("\r\n");
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
  }
}

std::string relay_response(int status, std::string_view body,
                           const std::vector<header_field>& extra, bool close) {
  std::string out =
      "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
  for (const auto& f : extra) out.append(f.name).append(": ").append(f.value).append("\r\n");
  if (status >= 200) {
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    if (!body.empty()) out.append("Content-Type: text/plain; charset=utf-8\r\n");
    if (close) out.append("Connection: close\r\n");
  }
  out.append("\r\n").append(body);
  return out;
}

}  // namespace headroom::relay
