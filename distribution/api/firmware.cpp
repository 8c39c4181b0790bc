// Package images: PUT /firmware/{package} stores the bytes (named by their SHA-256, so that
// no client-chosen name reaches the file system); GET serves them with Range (resume),
// ETag and If-None-Match.
#include <filesystem>
#include <fstream>
#include <optional>

#include "distribution/api/paging.hpp"
#include "distribution/app.hpp"
#include "distribution/crypto.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution {
namespace {

struct byte_range {
  std::int64_t first = 0;
  std::int64_t last = 0;  ///< Inclusive, as in Content-Range.
};

/// Parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range against `size`.
/// nullopt: the header is not one range this server serves (answer the whole body);
/// a range with first > last: unsatisfiable (416).
std::optional<byte_range> parse_range(std::string_view header, std::int64_t size) {
  constexpr std::string_view unit = "bytes=";
  if (header.substr(0, unit.size()) != unit) return std::nullopt;
  const auto spec = header.substr(unit.size());
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos)
    return std::nullopt;
  const auto number = [](std::string_view s) -> std::optional<std::int64_t> {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    return std::stoll(std::string(s));
  };
  const auto a = spec.substr(0, dash), b = spec.substr(dash + 1);
  if (a.empty()) {
    const auto suffix = number(b);
    if (!suffix) return std::nullopt;
    if (*suffix == 0 || size == 0) return byte_range{1, 0};
    return byte_range{std::max<std::int64_t>(0, size - *suffix), size - 1};
  }
  const auto first = number(a);
  if (!first) return std::nullopt;
  if (*first >= size) return byte_range{1, 0};
  auto last = b.empty() ? std::optional<std::int64_t>(size - 1) : number(b);
  if (!last || *last < *first) return std::nullopt;
  return byte_range{*first, std::min(*last, size - 1)};
}

std::string read_slice(const std::string& file, std::int64_t first, std::int64_t count) {
  std::ifstream in(file, std::ios::binary);
  in.seekg(first);
  std::string out(static_cast<std::size_t>(count), '\0');
  in.read(out.data(), count);
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

http_response serve(const http_request& req, const hosted_package& hosted,
                    const std::string& file) {
  const auto& p = hosted.package;
  const auto etag = "\"" + *hosted.sha256 + "\"";
  const auto size = p.size_bytes;
  http_response res{http::status::ok, 11};
  res.set(http::field::etag, etag);
  res.set(http::field::accept_ranges, "bytes");
  res.set(http::field::cache_control, "no-cache");
  const auto if_none_match = std::string(req[http::field::if_none_match]);
  if (!if_none_match.empty() &&
      (if_none_match == "*" || if_none_match.find(etag) != std::string::npos)) {
    res.result(http::status::not_modified);
    return res;
  }
  res.set(http::field::content_type, "application/octet-stream");
  const auto if_range = std::string(req[http::field::if_range]);
  const bool range_applies = if_range.empty() || if_range == etag;
  const auto range_header = std::string(req[http::field::range]);
  if (!range_header.empty() && range_applies) {
    if (auto range = parse_range(range_header, size)) {
      if (range->first > range->last) {
        auto refused =
            problem_response({failure_kind::range, "Range",
                              "the range '" + std::string(range_header) + "' lies outside the " +
                                  std::to_string(size) + " bytes of package '" + p.id + "'"});
        refused.set(http::field::content_range, "bytes */" + std::to_string(size));
        return refused;
      }
      res.result(http::status::partial_content);
      res.set(http::field::content_range, "bytes " + std::to_string(range->first) + "-" +
                                              std::to_string(range->last) + "/" +
                                              std::to_string(size));
      res.body() = read_slice(file, range->first, range->last - range->first + 1);
      return res;
    }
  }
  res.body() = read_slice(file, 0, size);
  return res;
}

}  // namespace

void add_firmware_routes(router& r, app_context& app) {
  r.add({http::verb::get, "/firmware/{package}", access::open,
         [&app](const http_request& req, request_context& ctx) -> http_response {
           auto p = app.data.package(ctx.params.at("package"));
           if (!p) return problem_response(p.failure());
           if (!p->sha256)
             return problem_response({failure_kind::not_found, "",
                                      "package '" + p->package.id + "' has no image uploaded"});
           const auto file = app.firmware_dir + "/" + *p->sha256;
           if (!std::filesystem::exists(file))
             return problem_response({failure_kind::internal, "",
                                      "the image of package '" + p->package.id + "' is missing"});
           return serve(req, *p, file);
         }});
  r.add({http::verb::put, "/firmware/{package}", access::token,
         [&app](const http_request& req, request_context& ctx) -> http_response {
           const auto id = ctx.params.at("package");
           if (auto bad = unknown_parameters(ctx.where, {"version"})) return problem_response(*bad);
           std::string version;
           if (ctx.where.query.count("version")) {
             version = ctx.where.query.at("version");
           } else if (auto existing = app.data.package(id)) {
             version = existing->package.version;
           } else {
             return problem_response(invalid("query.version", "a new package needs ?version="));
           }
           if (version.empty())
             return problem_response(invalid("query.version", "must not be empty"));
           const auto sha = sha256_hex(req.body());
           const auto file = app.firmware_dir + "/" + sha;
           const auto partial = file + ".part";
           {
             std::ofstream out(partial, std::ios::binary | std::ios::trunc);
             out.write(req.body().data(), static_cast<std::streamsize>(req.body().size()));
             if (!out.flush())
               return problem_response(
                   {failure_kind::internal, "", "cannot write the image of package '" + id + "'"});
           }
           std::error_code ec;
           std::filesystem::rename(partial, file, ec);
           if (ec)
             return problem_response(
                 {failure_kind::internal, "", "cannot store the image: " + ec.message()});
           auto stored = app.data.set_package_image(
               id, version, static_cast<std::int64_t>(req.body().size()), sha);
           if (!stored) return problem_response(stored.failure());
           return json_text_response(
               http::status::ok, distribution_api::write_package(stored->package, stored->sha256));
         },
         app.config.max_firmware_bytes});
}

}  // namespace headroom::distribution
