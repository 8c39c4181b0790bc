#pragma once

// Small fleets written in test code: ids in, indices resolved.

#include <optional>
#include <string>
#include <vector>

#include "domain/fleet.hpp"
#include "tests/support/printing.hpp"

namespace headroom::test {

inline domain::instant at(const char* rfc3339) { return *domain::parse_rfc3339(rfc3339); }

class fleet_builder {
 public:
  explicit fleet_builder(domain::interval horizon) { f_.horizon = horizon; }

  fleet_builder& proxy(std::string id, std::int32_t capacity, std::int32_t threshold) {
    f_.proxies.push_back({std::move(id), capacity, threshold});
    return *this;
  }

  fleet_builder& customer(std::string id, std::vector<std::string> services,
                          std::string zone = "UTC",
                          std::vector<domain::local_window> windows = {}) {
    f_.customers.push_back(
        {std::move(id), std::move(services), std::move(zone), std::move(windows)});
    return *this;
  }

  /// A relayed device (mode proxy) behind `path`; an empty path makes it direct.
  fleet_builder& device(std::string id, const std::string& customer,
                        std::vector<std::string> path) {
    domain::device d;
    d.id = std::move(id);
    d.customer = find(f_.customers, customer);
    d.mode = path.empty() ? domain::monitoring_mode::direct : domain::monitoring_mode::proxy;
    for (const auto& p : path) d.path.push_back(find(f_.proxies, p));
    f_.devices.push_back(std::move(d));
    return *this;
  }

  fleet_builder& job(std::string id, const std::string& device, domain::instant start,
                     std::int64_t duration, std::optional<domain::instant> deadline = std::nullopt,
                     std::int32_t priority = 0) {
    f_.jobs.push_back(
        {std::move(id), find(f_.devices, device), "fw-1", start, duration, deadline, priority});
    return *this;
  }

  fleet_builder& device_service(const std::string& device, std::string service,
                                domain::instant first, std::int64_t every, std::int64_t duration) {
    f_.services.push_back(
        {find(f_.devices, device), std::nullopt, std::move(service), first, every, duration});
    return *this;
  }

  fleet_builder& customer_service(const std::string& customer, std::string service,
                                  domain::instant first, std::int64_t every,
                                  std::int64_t duration) {
    f_.services.push_back(
        {std::nullopt, find(f_.customers, customer), std::move(service), first, every, duration});
    return *this;
  }

  [[nodiscard]] const domain::fleet& get() const { return f_; }

 private:
  template <class Items>
  static domain::index_t find(const Items& items, const std::string& id) {
    for (domain::index_t i = 0; i < items.size(); ++i)
      if (items[i].id == id) return i;
    throw std::invalid_argument("test fleet names unknown id " + id);
  }

  domain::fleet f_;
};

}  // namespace headroom::test
