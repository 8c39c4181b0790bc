#pragma once
// The items of the list answers, read by either reader of a page: field_reader over
// nlohmann's DOM, or the simdjson one of simdjson_pages.cpp, which offers the same calls.
// One definition of each item, so that the two parsers cannot read it differently.
#include <limits>

#include "distribution_api/field_reader.hpp"
#include "distribution_api/records.hpp"

namespace headroom::distribution_api {

/// A job's `status`, which the jobs list, a new job and a job's change all carry.
template <class Reader>
job_status read_job_status(const Reader& r) {
  const auto status = parse_job_status(r.string("status"));
  if (!status) reject(r.at("status"), "must be one of scheduled, running, done, failed, cancelled");
  return *status;
}

template <class Reader>
device_record read_device(const Reader& r) {
  device_record d;
  d.id = r.string("id");
  d.customer = r.string("customer");
  d.model = r.string("model");
  const auto mode = domain::parse_monitoring_mode(r.string("monitoring_mode"));
  if (!mode) reject(r.at("monitoring_mode"), "must be 'proxy' or 'direct'");
  d.mode = *mode;
  if (r.has("proxies")) d.proxies = r.strings("proxies");
  return d;
}

template <class Reader>
package_record read_package(const Reader& r) {
  return {r.string("id"), r.string("version"), r.integer("size_bytes", 0)};
}

template <class Reader>
service_record read_service(const Reader& r) {
  service_record s;
  s.device = r.optional_string("device");
  s.customer = r.optional_string("customer");
  if (!s.device && !s.customer) reject(r.at(), "names neither a device nor a customer");
  s.service = r.string("service");
  s.first_start = r.time("first_start");
  s.every_s = r.integer("every_s", 1);
  s.duration_s = r.integer("duration_s", 0);
  return s;
}

template <class Reader>
job_record read_job(const Reader& r) {
  job_record j;
  j.id = r.string("id");
  j.device = r.string("device");
  j.package = r.string("package");
  j.start = r.time("start");
  j.duration_s = r.integer("duration_s", 0);
  if (r.has("deadline")) j.deadline = r.time("deadline");
  if (r.has("priority"))
    j.priority =
        static_cast<std::int32_t>(r.integer("priority", std::numeric_limits<std::int32_t>::min(),
                                            std::numeric_limits<std::int32_t>::max()));
  j.status = read_job_status(r);
  j.version = r.integer("version", 0);
  j.updated_at = r.time("updated_at");
  if (r.has("change_seq")) j.change_seq = r.integer("change_seq", 0);
  return j;
}

}  // namespace headroom::distribution_api
