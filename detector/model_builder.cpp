#include "detector/model_builder.hpp"

#include <algorithm>

namespace headroom::detector {

using domain::index_t;

domain::expected<model_ptr> model_builder::rebuild(
    const topology_view& topology, const distribution_api::inventory& inventory,
    const job_map& jobs, const domain::duration_estimates& estimates, domain::interval horizon,
    const threshold_policy& thresholds, domain::instant now) {
  model_draft draft(topology, inventory, thresholds);
  draft.add_services(inventory.services);
  draft.add_jobs(jobs, estimates);
  return adopt(std::move(draft), horizon, now);
}

domain::expected<model_ptr> model_builder::adopt(model_draft draft, domain::interval horizon,
                                                 domain::instant now) {
  auto model = draft.finish(horizon, now);
  if (!model) return model.failure();
  (*model)->generation = current_ ? current_->generation + 1 : 1;
  publish(std::move(*model));
  gaps_ = draft.gaps_;
  device_index_ = std::move(draft.device_index_);
  job_index_ = std::move(draft.job_index_);
  customer_distributes_ = std::move(draft.customer_distributes_);
  return current_;
}

std::shared_ptr<detector_model> model_builder::next_increment(domain::instant now) {
  auto next = recycler_.copy_of(*current_);
  next->generation = current_->generation + 1;
  next->full = false;
  next->changed_jobs.clear();
  next->fetched_at = now;
  return next;
}

model_ptr model_builder::publish(std::shared_ptr<detector_model> next) {
  current_ = next;
  recycler_.keep(std::move(next));
  return current_;
}

model_ptr model_builder::update(const std::vector<std::string>& changed, const job_map& jobs,
                                const domain::duration_estimates& estimates, domain::instant now,
                                const std::vector<std::string>& removed) {
  auto next = next_increment(now);
  for (const auto& id : removed) {
    auto it = job_index_.find(id);
    if (it == job_index_.end() || !next->counting.job_counts[it->second]) continue;
    next->counting.job_counts[it->second] = 0;
    next->changed_jobs.push_back(it->second);
  }
  for (const auto& id : changed) {
    const auto& record = jobs.at(id);
    auto device = device_index_.find(record.device);
    if (device == device_index_.end()) continue;
    if (!customer_distributes_[next->fleet.devices[device->second].customer]) continue;
    auto [it, appended] = job_index_.try_emplace(id, static_cast<index_t>(next->fleet.jobs.size()));
    const index_t index = it->second;
    if (appended) {
      if (!record.loads_proxy()) {
        job_index_.erase(it);
        continue;
      }
      next->fleet.jobs.emplace_back();
      next->fleet.jobs.back().device = device->second;
      next->job_versions.push_back(0);
      next->counting.job_counts.push_back(1);
    }
    model_draft::set_job(*next, index, record, estimates);
    next->counting.job_counts[index] = record.loads_proxy() ? 1 : 0;
    next->changed_jobs.push_back(index);
  }
  std::sort(next->changed_jobs.begin(), next->changed_jobs.end());
  next->changed_jobs.erase(std::unique(next->changed_jobs.begin(), next->changed_jobs.end()),
                           next->changed_jobs.end());
  if (next->fleet.jobs.size() != current_->fleet.jobs.size())
    next->neighbourhoods = std::make_shared<const domain::neighbourhoods>(
        current_->neighbourhoods->with_jobs_of(next->fleet));
  return publish(std::move(next));
}

model_ptr model_builder::repredict(const job_map& jobs, const domain::duration_estimates& estimates,
                                   domain::instant now) {
  auto next = next_increment(now);
  for (const auto& [id, index] : job_index_) {
    const auto before = next->fleet.jobs[index].duration_s;
    model_draft::set_job(*next, index, jobs.at(id), estimates);
    if (next->fleet.jobs[index].duration_s != before) next->changed_jobs.push_back(index);
  }
  // Unpublished, a model without changes would leave a gap in the generations the load
  // detectors see, and a gap makes them rebuild.
  if (next->changed_jobs.empty()) return nullptr;
  std::sort(next->changed_jobs.begin(), next->changed_jobs.end());
  return publish(std::move(next));
}

}  // namespace headroom::detector
