#include "distribution/http/router.hpp"

#include <chrono>

#include "distribution/http/problem.hpp"

namespace headroom::distribution {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

bool match_pattern(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>& params) {
  const auto want = segments(pattern);
  const auto have = segments(path);
  if (want.size() != have.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (have[i].empty()) return false;
      found[std::string(w.substr(1, w.size() - 2))] = std::string(have[i]);
    } else if (w != have[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

const route* router::find(http::verb method, const std::string& path, request_context& ctx,
                          std::string& allow) const {
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, path, params)) continue;
    if (r.method == method) {
      ctx.params = std::move(params);
      return &r;
    }
    allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(r.method));
  }
  return nullptr;
}

std::int64_t router::body_limit(http::verb method, std::string_view raw_target) const {
  const auto t = parse_target(raw_target);
  if (!t) return default_body_limit_;
  request_context ctx;
  std::string allow;
  const auto* r = find(method, t->path, ctx, allow);
  return r && r->body_limit > 0 ? r->body_limit : default_body_limit_;
}

std::string log_safe(std::string_view text) {
  std::string out(text.substr(0, 512));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

http_response router::dispatch(const http_request& req, const std::string& peer) const {
  const auto began = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  std::string path = "(malformed target)";
  const auto answer = [&]() -> http_response {
    request_context ctx;
    ctx.peer = peer;
    auto t = parse_target(std::string(req.target()));
    if (!t) return problem_response(invalid("", "the request target has a malformed %-escape"));
    ctx.where = std::move(*t);
    path = ctx.where.path;
    std::string allow;
    const auto* r = find(req.method(), ctx.where.path, ctx, allow);
    if (!r && !allow.empty()) {
      auto res = problem_response(http::status::method_not_allowed, "/problems/method-not-allowed",
                                  "Method not allowed",
                                  std::string(req.method_string()) + " is not allowed on " +
                                      ctx.where.path + "; allowed: " + allow);
      res.set(http::field::allow, allow);
      return res;
    }
    if (!r)
      return problem_response({failure_kind::not_found, "", "no resource at " + ctx.where.path});
    route_name = r->pattern;
    if (guard_)
      if (auto refused = guard_(req, r->who, ctx)) return std::move(*refused);
    return r->answer(req, ctx);
  }();
  metrics_.record(std::string(req.method_string()), route_name,
                  static_cast<int>(answer.result_int()), std::chrono::steady_clock::now() - began);
  // The path only: a query string, headers and bodies may carry secrets.
  if (log_)
    log_(std::string(req.method_string()) + " " + log_safe(path) + " " +
         std::to_string(answer.result_int()) + " from " + (peer.empty() ? "-" : peer));
  return answer;
}

}  // namespace headroom::distribution
