#pragma once
// Turns what the detector knows — the proxies and devices the nodes announced, and the
// contracts, devices, services and jobs the distribution system holds — into the domain
// fleet its load detectors work on (claim 3: relayed devices only, deliveries only under
// a contract with software distribution; claim 6: the other services' schedules).
// Incremental updates keep job indices stable so that a load detector can apply them.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "detector/detector_values.hpp"
#include "detector/model_draft.hpp"
#include "detector/model_recycler.hpp"
#include "domain/duration_estimates.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

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

  /// Finishes a draft and publishes it as a full model, as `rebuild` does with its own.
  /// Fails when the model breaks a rule, keeping the current one.
  domain::expected<model_ptr> adopt(model_draft draft, domain::interval horizon,
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

  model_ptr current_;
  model_recycler recycler_;
  model_gaps gaps_;
  std::unordered_map<std::string, domain::index_t> device_index_;
  std::unordered_map<std::string, domain::index_t> job_index_;
  std::vector<std::uint8_t> customer_distributes_;  ///< By customer index.
};

}  // namespace headroom::detector
