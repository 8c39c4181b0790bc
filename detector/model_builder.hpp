#pragma once
// Turns what the detector knows — the proxies and devices the nodes announced, and the
// contracts, devices, services and jobs the distribution system holds — into the domain
// fleet its load detectors work on (claim 3: relayed devices only, deliveries only under
// a contract with software distribution; claim 6: the other services' schedules).
// Incremental updates keep job indices stable so that a load detector can apply them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "detector/detector_values.hpp"
#include "detector/model_recycler.hpp"
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

class model_builder {
 public:
  /// Builds everything anew. Fails when the result breaks a rule of the model (the error
  /// names the record), keeping the current model.
  domain::expected<model_ptr> rebuild(const topology_view& topology,
                                      const distribution_api::inventory& inventory,
                                      const job_map& jobs,
                                      const domain::duration_estimates& estimates,
                                      domain::interval horizon, const threshold_policy& thresholds,
                                      domain::instant now);

  /// The current model with the jobs `changed` (ids in `jobs`) updated or appended and
  /// the jobs `removed` (gone from the distribution system) no longer loading. Jobs of
  /// devices the model does not hold are left out. Needs a model.
  model_ptr update(const std::vector<std::string>& changed, const job_map& jobs,
                   const domain::duration_estimates& estimates, domain::instant now,
                   const std::vector<std::string>& removed = {});

  /// The current model with every job's duration predicted again (observations changed);
  /// only jobs whose prediction moved are reported as changed. nullptr when none moved:
  /// nothing to publish, and the generation stays.
  model_ptr repredict(const job_map& jobs, const domain::duration_estimates& estimates,
                      domain::instant now);

  [[nodiscard]] const model_ptr& current() const { return current_; }
  [[nodiscard]] const model_gaps& gaps() const { return gaps_; }

 private:
  std::shared_ptr<detector_model> next_increment(domain::instant now);
  /// Publishes `next` as the current model.
  model_ptr publish(std::shared_ptr<detector_model> next);
  void set_job(detector_model& model, domain::index_t index,
               const distribution_api::job_record& record,
               const domain::duration_estimates& estimates) const;

  model_ptr current_;
  model_recycler recycler_;
  model_gaps gaps_;
  std::unordered_map<std::string, domain::index_t> device_index_;
  std::unordered_map<std::string, domain::index_t> job_index_;
  std::vector<std::uint8_t> customer_distributes_;  ///< By customer index.
};

}  // namespace headroom::detector
