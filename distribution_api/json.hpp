#pragma once
// The distribution system's JSON documents (docs/api.md, openapi.json) to and from the
// records of records.hpp: one reader and one writer per document, for the detector (the
// client) and the reference server alike. Reading never throws: a malformed document is
// an error value naming the JSON path of the offending value (`items[3].start`).
//
// Answers, which the detector reads, are read leniently: fields a reader does not know are
// ignored, so that a vendor's API may carry more than ours. Requests, which only the
// reference server reads, are read strictly, as it validates them: unknown fields, empty
// strings and values out of range are refused (field_reader.hpp says how).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "distribution_api/records.hpp"
#include "domain/expected.hpp"

namespace headroom::distribution_api {

// Lists: `{"items": [...], "next_cursor": "..." | null}`.

/// One page of a list answer.
template <class T>
struct page_of {
  std::vector<T> items;
  std::optional<std::string> next_cursor;  ///< None on the last page.
};

domain::expected<page_of<customer_record>> read_customers_page(std::string_view body);
// Read by simdjson where it reads the page as nlohmann would, else by nlohmann
// (page_parsers.hpp): the pages a detector reads at its start, hundreds of them.
domain::expected<page_of<device_record>> read_devices_page(std::string_view body);
domain::expected<page_of<package_record>> read_packages_page(std::string_view body);
domain::expected<page_of<service_record>> read_services_page(std::string_view body);
domain::expected<page_of<job_record>> read_jobs_page(std::string_view body);

/// A list answer around its items, each already written as one JSON document.
std::string write_page(const std::vector<std::string>& items,
                       const std::optional<std::string>& next_cursor);

/// The items of the lists; a job is also the answer of `GET`, `POST` and `PATCH` of one job.
std::string write_customer(const customer_record& c);
std::string write_device(const device_record& d);
std::string write_service(const service_record& s);
std::string write_job(const job_record& j);
/// A package with `sha256` and `firmware` (its URL), null until its image is uploaded: the
/// image is the server's, not part of the record.
std::string write_package(const package_record& p, const std::optional<std::string>& image_sha256);

// Jobs changed through the API (read strictly).

/// `POST /api/v1/jobs`: `id, device, package, start, duration_s`, optional `deadline,
/// priority, status`; the version and update time are the server's.
domain::expected<job_record> read_new_job(std::string_view body);

/// `PATCH /api/v1/jobs/{id}`: `{"version": N, ...changes}`; a null deadline clears it.
domain::expected<job_patch> read_job_patch(std::string_view body);

// Topology.

/// `PUT /api/v1/topology` (and the answer of `GET`): `{"proxies": [{"id", "capacity",
/// "threshold", "devices"}]}`.
std::string write_topology(const topology_record& t);
/// Read strictly: ids unique, 1 <= threshold <= capacity, device ids not empty.
domain::expected<topology_record> read_topology(std::string_view body);

/// The answer of `PUT /api/v1/topology`: how many proxies were stored, and the device ids
/// the distribution system does not know.
std::string write_topology_answer(std::size_t proxies,
                                  const std::vector<std::string>& unknown_devices);
domain::expected<std::vector<std::string>> read_topology_answer(std::string_view body);

// Notifications and adjustments.

/// `POST /api/v1/notifications`; `suggested_adjustment` only when there are moves.
std::string write_notification(const notification_record& n);
/// Read strictly: each window ends after it starts and peaks above its threshold. Without
/// `sent_at` (it is optional) the record's is 0.
domain::expected<notification_record> read_notification(std::string_view body);

/// `POST /api/v1/adjustments`: `{"source", "moves": [{"job", "from", "to", "version"}]}`.
/// The proxy is not part of the request: it only orders the detector's outbox.
std::string write_adjustment(const adjustment_record& a);
/// Read strictly: at least one move; the source is optional (empty when absent).
domain::expected<adjustment_record> read_adjustment(std::string_view body);

/// The answer of `POST /api/v1/adjustments`: the server's `id` for it and when it was
/// received, how many moves were applied and refused, and each move's result in request
/// order (a refused one with a 404 or 409 problem).
std::string write_adjustment_answer(std::int64_t id, domain::instant received_at,
                                    const adjustment_outcome& outcome);
domain::expected<adjustment_outcome> read_adjustment_answer(std::string_view body);

/// A request body as idempotent retries are compared (docs/api.md): parsed and written
/// again, so that whitespace and key order do not matter. An error when it is not JSON.
domain::expected<std::string> canonical_json(std::string_view body);

/// A posted event as the distribution system keeps it, from one parse: its canonical text
/// (as canonical_json writes it) and the record read from it, or why the document is not
/// one (as read_notification or read_adjustment says). An error when it is not JSON.
template <class T>
struct canonical_record {
  std::string text;
  domain::expected<T> record;
};
domain::expected<canonical_record<notification_record>> read_canonical_notification(
    std::string_view body);
domain::expected<canonical_record<adjustment_record>> read_canonical_adjustment(
    std::string_view body);

// Problems.

/// An RFC 9457 problem document, as the API answers its errors.
struct problem_record {
  std::string type;
  std::string title;
  std::int32_t status = 0;
  std::string detail;
  std::string path;  ///< The offending value, when the server names one.
};

/// `path` is left out when empty.
std::string write_problem(const problem_record& p);
/// The problem in an error answer's body; none when the body is not a problem document.
std::optional<problem_record> read_problem(std::string_view body);

}  // namespace headroom::distribution_api
