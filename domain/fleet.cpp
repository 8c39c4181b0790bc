#include "domain/fleet.hpp"

#include <algorithm>
#include <limits>

#include "domain/id_index.hpp"
#include "domain/job_span.hpp"
#include "domain/maintenance.hpp"

namespace headroom::domain {
namespace {

std::string at(const char* array, std::size_t i) {
  return std::string(array) + "[" + std::to_string(i) + "]";
}

template <class Items>
std::optional<error> unique_ids(const Items& items, const char* array) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id.empty()) return error{at(array, i) + ".id", "must not be empty"};
  if (const auto repeated = id_index(items).first_duplicate())
    return error{at(array, *repeated) + ".id", "duplicate id '" + items[*repeated].id + "'"};
  return std::nullopt;
}

std::optional<error> validate_proxies(const fleet& f) {
  for (std::size_t i = 0; i < f.proxies.size(); ++i) {
    const auto& p = f.proxies[i];
    if (p.capacity <= 0) return error{at("proxies", i) + ".capacity", "must be positive"};
    if (p.capacity >= (1 << 22))
      return error{at("proxies", i) + ".capacity", "above the supported 4194303 devices"};
    if (p.threshold <= 0) return error{at("proxies", i) + ".threshold", "must be positive"};
    if (p.threshold > p.capacity)
      return error{at("proxies", i) + ".threshold", "threshold " + std::to_string(p.threshold) +
                                                        " is above capacity " +
                                                        std::to_string(p.capacity)};
  }
  return std::nullopt;
}

std::optional<error> validate_customers(const fleet& f) {
  for (std::size_t i = 0; i < f.customers.size(); ++i) {
    const auto& c = f.customers[i];
    if (!time_zone_exists(c.time_zone))
      return error{at("customers", i) + ".time_zone", "unknown time zone '" + c.time_zone + "'"};
    for (std::size_t w = 0; w < c.maintenance_windows.size(); ++w) {
      const auto& window = c.maintenance_windows[w];
      const std::string where = at("customers", i) + "." + at("maintenance_windows", w);
      if (window.from_minute < 0 || window.from_minute >= 24 * 60 || window.to_minute < 0 ||
          window.to_minute > 24 * 60)
        return error{where, "time of day out of range"};
      if (window.from_minute == window.to_minute % (24 * 60))
        return error{where, "empty window: from equals to"};
    }
  }
  return std::nullopt;
}

std::optional<error> validate_devices(const fleet& f) {
  for (std::size_t i = 0; i < f.devices.size(); ++i) {
    const auto& d = f.devices[i];
    if (d.customer >= f.customers.size()) return error{at("devices", i) + ".customer", "unknown"};
    if (d.relayed() && d.path.empty())
      return error{at("devices", i), "device in proxy mode names no proxy"};
    for (std::size_t k = 0; k < d.path.size(); ++k) {
      if (d.path[k] >= f.proxies.size())
        return error{at("devices", i) + ".proxies", "unknown proxy"};
      if (std::find(d.path.begin(), d.path.begin() + static_cast<long>(k), d.path[k]) !=
          d.path.begin() + static_cast<long>(k))
        return error{at("devices", i) + ".proxies",
                     "proxy '" + f.proxies[d.path[k]].id + "' appears twice on the path"};
    }
  }
  return std::nullopt;
}

std::optional<error> validate_jobs(const fleet& f) {
  const id_index packages(f.packages);
  for (std::size_t i = 0; i < f.jobs.size(); ++i) {
    const auto& j = f.jobs[i];
    if (j.device >= f.devices.size()) return error{at("jobs", i) + ".device", "unknown device"};
    if (j.package.empty()) return error{at("jobs", i) + ".package", "must not be empty"};
    if (!f.packages.empty() && !packages.find(j.package))
      return error{at("jobs", i) + ".package", "unknown package '" + j.package + "'"};
    if (j.duration_s <= 0) return error{at("jobs", i) + ".duration_s", "must be positive"};
    if (j.duration_s > 366 * seconds_per_day)
      return error{at("jobs", i) + ".duration_s", "longer than a year"};
  }
  return std::nullopt;
}

std::optional<error> validate_services(const fleet& f) {
  for (std::size_t i = 0; i < f.services.size(); ++i) {
    const auto& s = f.services[i];
    const std::string where = at("services", i);
    if (s.device.has_value() == s.customer.has_value())
      return error{where, "names exactly one of 'device' and 'customer'"};
    if (s.device && *s.device >= f.devices.size())
      return error{where + ".device", "unknown device"};
    if (s.customer && *s.customer >= f.customers.size())
      return error{where + ".customer", "unknown customer"};
    if (s.service.empty()) return error{where + ".service", "must not be empty"};
    if (s.every_s <= 0) return error{where + ".every_s", "must be positive"};
    if (s.duration_s <= 0) return error{where + ".duration_s", "must be positive"};
    if (s.duration_s > s.every_s)
      return error{where + ".duration_s",
                   "longer than the period every_s; occurrences would overlap"};
  }
  return std::nullopt;
}

}  // namespace

bool customer::has_service(const std::string& name) const {
  return std::find(services.begin(), services.end(), name) != services.end();
}

interval effective_horizon(const fleet& f) {
  if (f.horizon) return *f.horizon;
  if (f.jobs.empty()) return {0, 0};
  job_span span{std::numeric_limits<instant>::max(), std::numeric_limits<instant>::min(), {}};
  for (const auto& j : f.jobs) {
    span.earliest_start = std::min(span.earliest_start, j.start);
    span.latest_end = std::max(span.latest_end, j.start + j.duration_s);
    if (j.deadline)
      span.latest_deadline = std::max(span.latest_deadline.value_or(*j.deadline), *j.deadline);
  }
  return effective_horizon(std::nullopt, span);
}

interval effective_horizon(const std::optional<interval>& declared, const job_span& jobs) {
  if (declared) return *declared;
  const instant to =
      jobs.latest_deadline ? *jobs.latest_deadline : jobs.latest_end + 7 * seconds_per_day;
  return {jobs.earliest_start, std::max(to, jobs.earliest_start)};
}

std::optional<error> validate(const fleet& f) {
  if (f.horizon && f.horizon->end <= f.horizon->start)
    return error{"horizon", "'to' must be after 'from'"};
  for (auto check : {+[](const fleet& x) { return unique_ids(x.proxies, "proxies"); },
                     +[](const fleet& x) { return unique_ids(x.customers, "customers"); },
                     +[](const fleet& x) { return unique_ids(x.devices, "devices"); },
                     +[](const fleet& x) { return unique_ids(x.packages, "packages"); },
                     +[](const fleet& x) { return unique_ids(x.jobs, "jobs"); }, &validate_proxies,
                     &validate_customers, &validate_devices, &validate_jobs, &validate_services})
    if (auto failure = check(f)) return failure;
  return std::nullopt;
}

}  // namespace headroom::domain
