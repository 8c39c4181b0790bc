#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/monitoring_mode.hpp"
#include "domain/time.hpp"

namespace headroom::domain {

/// Position of an element in its fleet vector; the model links by index, not by id.
using index_t = std::uint32_t;

/// The service names the patent's claims name; contracts may hold others too.
namespace services {
inline constexpr const char* software_distribution = "software_distribution";
inline constexpr const char* counter_collection = "counter_collection";
inline constexpr const char* status_monitoring = "status_monitoring";
inline constexpr const char* log_upload = "log_upload";
inline constexpr const char* remote_maintenance = "remote_maintenance";
}  // namespace services

/// A proxy node: at most `capacity` devices at once; overloaded above `threshold`.
struct proxy {
  std::string id;
  std::int32_t capacity = 0;
  std::int32_t threshold = 0;
};

/// A daily window in the customer's local time, minutes after midnight.
/// `to_minute <= from_minute` means the window crosses midnight.
struct local_window {
  std::int32_t from_minute = 0;
  std::int32_t to_minute = 0;
  friend bool operator==(const local_window&, const local_window&) = default;
};

struct customer {
  std::string id;
  std::vector<std::string> services;  ///< The contract.
  std::string time_zone = "UTC";      ///< IANA name.
  std::vector<local_window> maintenance_windows;

  [[nodiscard]] bool has_service(const std::string& name) const;
};

struct device {
  std::string id;
  index_t customer = 0;
  monitoring_mode mode = monitoring_mode::direct;
  std::vector<index_t> path;  ///< Proxies, nearest first; every one of them is loaded.
  std::string model;

  [[nodiscard]] bool relayed() const { return mode == monitoring_mode::proxy; }
};

/// A firmware or application package the distribution system delivers.
struct package {
  std::string id;
  std::string version;
  std::int64_t size_bytes = 0;
};

/// A delivery: occupies [start, start + duration_s).
struct job {
  std::string id;
  index_t device = 0;
  std::string package;
  instant start = 0;
  std::int64_t duration_s = 0;
  std::optional<instant> deadline;  ///< The job must end by then.
  std::int32_t priority = 0;        ///< Higher is placed first when adjusting.

  [[nodiscard]] interval span() const { return {start, start + duration_s}; }
};

/// Another service's periodic communication: at first_start + k * every_s for
/// every integer k, lasting duration_s, for one device or every device of a customer.
struct service_schedule {
  std::optional<index_t> device;
  std::optional<index_t> customer;
  std::string service;
  instant first_start = 0;
  std::int64_t every_s = 0;
  std::int64_t duration_s = 0;
};

struct fleet {
  std::optional<interval> horizon;
  std::vector<proxy> proxies;
  std::vector<customer> customers;
  std::vector<device> devices;
  std::vector<package> packages;
  std::vector<job> jobs;
  std::vector<service_schedule> services;
};

/// The horizon the fleet declares, or the one its jobs imply: from the earliest
/// job start to the latest deadline, or, with no deadline, the latest job end + 7 days.
interval effective_horizon(const fleet& f);

/// Checks every rule the model's indices cannot express (ids, durations,
/// thresholds, time zones), naming the offending element by its fleet-file path.
std::optional<error> validate(const fleet& f);

}  // namespace headroom::domain
