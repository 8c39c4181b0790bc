#pragma once
// The distribution system's records as its HTTP API carries them (docs/api.md), and
// what the detector sends back: plain string-keyed values, so that the detector needs
// none of the distribution system's indexes. distribution_api/json.hpp reads and
// writes them; actors/detector/api_inspect.hpp lets actors exchange them; the reference
// server (distribution/) stores them, keeping what only it knows beside them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/monitoring_mode.hpp"
#include "domain/time.hpp"

namespace headroom::distribution_api {

/// A daily maintenance window in the customer's local time, minutes after midnight;
/// `to_minute <= from_minute` crosses midnight.
struct local_window_record {
  std::int32_t from_minute = 0;
  std::int32_t to_minute = 0;
  friend bool operator==(const local_window_record&, const local_window_record&) = default;
};

/// `GET /api/v1/customers`: a customer with its contract.
struct customer_record {
  std::string id;
  std::vector<std::string> services;  ///< The contract (claim 3).
  std::string time_zone = "UTC";
  std::vector<local_window_record> maintenance_windows;
  friend bool operator==(const customer_record&, const customer_record&) = default;
};

/// `GET /api/v1/devices`.
struct device_record {
  std::string id;
  std::string customer;
  std::string model;
  domain::monitoring_mode mode = domain::monitoring_mode::direct;
  std::vector<std::string> proxies;  ///< As the distribution system knows them, nearest first.
  friend bool operator==(const device_record&, const device_record&) = default;
};

/// `GET /api/v1/packages`.
struct package_record {
  std::string id;
  std::string version;
  std::int64_t size_bytes = 0;
  friend bool operator==(const package_record&, const package_record&) = default;
};

/// `GET /api/v1/services`: another service's periodic communication (claim 6), for
/// one device or every device of a customer.
struct service_record {
  std::optional<std::string> device;
  std::optional<std::string> customer;
  std::string service;
  domain::instant first_start = 0;
  std::int64_t every_s = 0;
  std::int64_t duration_s = 0;
  friend bool operator==(const service_record&, const service_record&) = default;
};

enum class job_status : std::uint8_t { scheduled, running, done, failed, cancelled };

/// `GET /api/v1/jobs`: a delivery job.
struct job_record {
  std::string id;
  std::string device;
  std::string package;
  domain::instant start = 0;
  std::int64_t duration_s = 0;
  std::optional<domain::instant> deadline;
  std::int32_t priority = 0;
  job_status status = job_status::scheduled;
  std::int64_t version = 0;
  domain::instant updated_at = 0;
  /// The store-wide number of the job's last write (0: the server has no change clock);
  /// `changed_after` lists the jobs written after a number, each once.
  std::int64_t change_seq = 0;

  /// Only scheduled and running jobs load a proxy.
  [[nodiscard]] bool loads_proxy() const {
    return status == job_status::scheduled || status == job_status::running;
  }
  friend bool operator==(const job_record&, const job_record&) = default;
};

/// `PATCH /api/v1/jobs/{id}`: a change to a job; unset fields keep their value.
struct job_patch {
  std::int64_t expected_version = 0;  ///< Must be the job's current version.
  std::optional<domain::instant> start;
  std::optional<std::optional<domain::instant>> deadline;  ///< Set to nullopt: no deadline.
  std::optional<std::int32_t> priority;
  std::optional<job_status> status;
  std::optional<std::int64_t> duration_s;
  friend bool operator==(const job_patch&, const job_patch&) = default;
};

/// Everything but the jobs: contracts, devices, packages and service schedules.
struct inventory {
  std::vector<customer_record> customers;
  std::vector<device_record> devices;
  std::vector<package_record> packages;
  std::vector<service_record> services;
  friend bool operator==(const inventory&, const inventory&) = default;
};

/// `PUT /api/v1/topology`: the proxies a detector learned and the devices behind each.
struct topology_proxy {
  std::string id;
  std::int32_t capacity = 0;
  std::int32_t threshold = 0;
  std::vector<std::string> devices;
  friend bool operator==(const topology_proxy&, const topology_proxy&) = default;
};

struct topology_record {
  std::vector<topology_proxy> proxies;
  /// The reporting detector's id: its report replaces the proxies it reported before (and
  /// takes over those it names), leaving other detectors' proxies alone. Empty: the
  /// report replaces the whole topology.
  std::string detector;
  friend bool operator==(const topology_record&, const topology_record&) = default;
};

/// One move of an adjustment (claim 7); `version` is the job's version it was planned on.
struct move_record {
  std::string job;
  domain::instant from = 0;
  domain::instant to = 0;
  std::int64_t version = 0;
  friend bool operator==(const move_record&, const move_record&) = default;
};

/// An overloaded window as a notification carries it.
struct window_record {
  domain::instant start = 0;
  domain::instant end = 0;
  std::int32_t peak = 0;
  std::int32_t threshold = 0;
  std::vector<std::string> jobs;
  friend bool operator==(const window_record&, const window_record&) = default;
};

/// `POST /api/v1/notifications` (claims 1, 4, 5): one proxy's current windows; an empty
/// list clears its warnings. The suggestion lets the operator apply it in one action.
struct notification_record {
  std::string detector;
  std::string proxy;
  domain::instant sent_at = 0;  ///< Optional in the document: 0 when a sender leaves it out.
  std::vector<window_record> windows;
  std::vector<move_record> suggested_moves;  ///< Omitted from the body when empty.
  friend bool operator==(const notification_record&, const notification_record&) = default;
};

/// `POST /api/v1/adjustments` (claim 7, automatic mode).
struct adjustment_record {
  std::string source;  ///< The detector's id.
  std::string proxy;   ///< Which proxy's windows it resolves (the outbox orders by it).
  std::vector<move_record> moves;
  friend bool operator==(const adjustment_record&, const adjustment_record&) = default;
};

/// What the distribution system did with one move.
struct move_result {
  std::string job;
  bool applied = false;
  std::int32_t status = 200;  ///< 409: the job changed meanwhile; 404: it is gone.
  std::string detail;         ///< Why it was refused.
  domain::instant from = 0;   ///< An applied move's old start, when the answer gives it...
  domain::instant to = 0;     ///< ...its new start...
  std::int64_t version = 0;   ///< ...and the job's version after it.
  friend bool operator==(const move_result&, const move_result&) = default;
};

struct adjustment_outcome {
  std::vector<move_result> results;  ///< In request order.

  /// How many moves were applied; the others were refused.
  [[nodiscard]] std::size_t applied() const;
  friend bool operator==(const adjustment_outcome&, const adjustment_outcome&) = default;
};

const char* to_string(job_status s);
std::optional<job_status> parse_job_status(std::string_view text);

}  // namespace headroom::distribution_api
