#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "distribution/config.hpp"
#include "distribution/failure.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/url.hpp"
#include "distribution/store/store.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution {

/// Where a list continues (`cursor`) and how many items it gives (`limit`).
struct page_request {
  std::int64_t after = -1;
  int limit = 100;
};

/// Reads `cursor` and `limit` from the query; failures name `query.cursor` or `query.limit`.
domain::expected<page_request, failure> read_page_request(const target& t,
                                                          const distribution_config& c);

/// The opaque cursor of the page that continues after position `next_after`; none when
/// nothing follows.
std::optional<std::string> cursor_after(std::optional<std::int64_t> next_after);

/// A list answer (`{"items": [...], "next_cursor": ...}`), each row written with `write`.
template <class Row, class Write>
http_response list_response(const page<Row>& rows, Write write) {
  std::vector<std::string> items;
  items.reserve(rows.items.size());
  for (const auto& row : rows.items) items.push_back(write(row));
  return json_text_response(http::status::ok,
                            distribution_api::write_page(items, cursor_after(rows.next_after)));
}

/// Rejects query parameters a route does not know, naming the first.
std::optional<failure> unknown_parameters(const target& t,
                                          std::initializer_list<const char*> known);

/// Reads a whole-number query parameter (0 to 10^18 - 1) when present.
domain::expected<std::optional<std::int64_t>, failure> count_parameter(const target& t,
                                                                       const char* name);

/// Reads an RFC 3339 query parameter when present.
domain::expected<std::optional<std::int64_t>, failure> time_parameter(const target& t,
                                                                      const char* name);

}  // namespace headroom::distribution
