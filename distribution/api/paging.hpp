#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "distribution/config.hpp"
#include "distribution/failure.hpp"
#include "distribution/http/url.hpp"

namespace headroom::distribution {

/// Where a list continues (`cursor`) and how many items it gives (`limit`).
struct page_request {
  std::int64_t after = -1;
  int limit = 100;
};

/// Reads `cursor` and `limit` from the query; failures name `query.cursor` or `query.limit`.
domain::expected<page_request, failure> read_page_request(const target& t,
                                                          const distribution_config& c);

/// `{"items": [...], "next_cursor": "..." or null}`.
nlohmann::json page_document(nlohmann::json items, std::optional<std::int64_t> next_after);

/// Rejects query parameters a route does not know, naming the first.
std::optional<failure> unknown_parameters(const target& t,
                                          std::initializer_list<const char*> known);

/// Reads an RFC 3339 query parameter when present.
domain::expected<std::optional<std::int64_t>, failure> time_parameter(const target& t,
                                                                      const char* name);

}  // namespace headroom::distribution
