#pragma once
// A full model built in parts: the devices first (with the topology, the contracts and the
// packages), then the service schedules and the jobs in either order. A first fetch at
// 100,000 devices pages through the devices, the services and the jobs for most of a
// second; built as each part arrives, the model is ready soon after the last one instead
// of a third of a second later. Finished, a draft is the model `model_builder::rebuild`
// makes of the same inputs (rebuild is a draft built in one go).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "detector/detector_values.hpp"
#include "domain/duration_estimates.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

/// Where a proxy's threshold comes from: a fixed value, a ratio of its capacity, or
/// (neither set) the threshold its node announced.
struct threshold_policy {
  std::optional<std::int32_t> absolute;
  std::optional<double> ratio;

  [[nodiscard]] std::int32_t apply(std::int32_t capacity, std::int32_t announced) const;
};

/// Every job the detector has fetched, by id.
using job_map = std::map<std::string, distribution_api::job_record>;

/// Counts what a rebuild had to leave out, for /status.
struct model_gaps {
  std::int64_t devices_unknown = 0;  ///< Seen by a node, unknown to the distribution system.
  std::int64_t devices_direct = 0;  ///< Seen by a node, in direct mode per the distribution system.
  std::int64_t jobs_without_contract = 0;  ///< Devices whose customer has no distribution contract.
};

class model_draft {
 public:
  /// The proxies, contracts, relayed devices and packages (claim 3: only devices a node
  /// saw behind a proxy and the inventory lists in proxy mode).
  model_draft(const topology_view& topology, const distribution_api::inventory& devices,
              const threshold_policy& thresholds);

  /// The service schedules of the contracts and devices kept (claim 6).
  void add_services(const std::vector<distribution_api::service_record>& services);
  /// The jobs loading a proxy, of devices kept whose customer has a distribution contract.
  void add_jobs(const job_map& jobs, const domain::duration_estimates& estimates);

  /// The model, once services and jobs are in: fails when it breaks a rule of the model
  /// (the error names the record).
  domain::expected<std::shared_ptr<detector_model>> finish(domain::interval horizon,
                                                           domain::instant now);

  [[nodiscard]] bool has_services() const { return has_services_; }
  [[nodiscard]] bool has_jobs() const { return has_jobs_; }

  /// Sets a job's fields from its record, the duration predicted (also for increments).
  static void set_job(detector_model& model, domain::index_t index,
                      const distribution_api::job_record& record,
                      const domain::duration_estimates& estimates);

 private:
  friend class model_builder;

  std::shared_ptr<detector_model> model_ = std::make_shared<detector_model>();
  std::optional<domain::error> problem_;  ///< The first record that breaks the model.
  bool has_services_ = false;
  bool has_jobs_ = false;
  model_gaps gaps_;
  std::unordered_map<std::string, domain::index_t> customer_index_;
  std::unordered_map<std::string, domain::index_t> device_index_;
  std::unordered_map<std::string, domain::index_t> job_index_;
  std::vector<std::uint8_t> customer_distributes_;  ///< By customer index.
};

}  // namespace headroom::detector
