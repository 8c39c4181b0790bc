#pragma once
// The distribution system's JSON (docs/api.md) to and from the records of
// distribution_records.hpp. Reading an answer never throws: a malformed answer is an
// error value naming the JSON path of the offending value (`items[3].start`). Fields a
// reader does not know are ignored, so a vendor's API may carry more than ours.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "distribution_api/records.hpp"
#include "domain/expected.hpp"

namespace headroom::distribution_api {

/// One page of a list answer: `{"items": [...], "next_cursor": "..." | null}`.
template <class T>
struct page_of {
  std::vector<T> items;
  std::optional<std::string> next_cursor;  ///< None on the last page.
};

domain::expected<page_of<customer_record>> read_customers_page(std::string_view body);
domain::expected<page_of<device_record>> read_devices_page(std::string_view body);
domain::expected<page_of<package_record>> read_packages_page(std::string_view body);
domain::expected<page_of<service_record>> read_services_page(std::string_view body);
domain::expected<page_of<job_record>> read_jobs_page(std::string_view body);

/// The answer of `PUT /api/v1/topology`: the device ids the distribution system does not know.
domain::expected<std::vector<std::string>> read_topology_answer(std::string_view body);

/// The answer of `POST /api/v1/adjustments`: what happened to each move, in request order.
domain::expected<adjustment_outcome> read_adjustment_answer(std::string_view body);

/// An RFC 9457 problem document, as the API answers its errors.
struct problem_record {
  std::string type;
  std::string title;
  std::int32_t status = 0;
  std::string detail;
  std::string path;  ///< The offending value, when the server names one.
};

/// The problem in an error answer's body; none when the body is not a problem document.
std::optional<problem_record> read_problem(std::string_view body);

/// `POST /api/v1/notifications`; `suggested_adjustment` only when there are moves.
std::string write_notification(const notification_record& n);

/// `POST /api/v1/adjustments`: `{"source", "moves": [{"job", "from", "to", "version"}]}`.
/// The proxy is not part of the request: it only orders the outbox.
std::string write_adjustment(const adjustment_record& a);

/// `PUT /api/v1/topology`: `{"proxies": [{"id", "capacity", "threshold", "devices"}]}`.
std::string write_topology(const topology_record& t);

}  // namespace headroom::distribution_api
