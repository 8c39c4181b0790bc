#include "detector/model_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace headroom::detector {
namespace {

using distribution_api::job_record;
using domain::index_t;

domain::customer to_customer(const distribution_api::customer_record& r) {
  domain::customer c;
  c.id = r.id;
  c.services = r.services;
  c.time_zone = r.time_zone;
  for (const auto& w : r.maintenance_windows)
    c.maintenance_windows.push_back({w.from_minute, w.to_minute});
  return c;
}

/// Where a device was seen, and whether the inventory lists it.
struct sighting {
  std::vector<index_t> proxies;  ///< Indices into topology.proxies.
  bool listed = false;
};

/// Each device seen behind a proxy, by id: the names point into the topology.
std::unordered_map<std::string_view, sighting> proxies_by_device(const topology_view& topology) {
  std::size_t names = 0;
  for (const auto& p : topology.proxies) names += p.devices.size();
  std::unordered_map<std::string_view, sighting> out;
  out.reserve(names);
  for (index_t p = 0; p < topology.proxies.size(); ++p)
    for (const auto& device : topology.proxies[p].devices) out[device].proxies.push_back(p);
  return out;
}

/// The device's path: the proxies the distribution system lists first, in its order
/// (nearest first), then any other proxy a node saw it behind, by id.
std::vector<index_t> path_of(const distribution_api::device_record& device,
                             std::vector<index_t> seen, const topology_view& topology) {
  std::vector<index_t> path;
  for (const auto& id : device.proxies) {
    auto it = std::find_if(seen.begin(), seen.end(),
                           [&](index_t p) { return topology.proxies[p].id == id; });
    if (it == seen.end()) continue;
    path.push_back(*it);
    seen.erase(it);
  }
  path.insert(path.end(), seen.begin(), seen.end());
  return path;
}

}  // namespace

std::int32_t threshold_policy::apply(std::int32_t capacity, std::int32_t announced) const {
  if (absolute) return *absolute;
  if (ratio) return static_cast<std::int32_t>(std::floor(*ratio * capacity));
  return announced;
}

domain::expected<model_ptr> model_builder::rebuild(
    const topology_view& topology, const distribution_api::inventory& inventory,
    const job_map& jobs, const domain::duration_estimates& estimates, domain::interval horizon,
    const threshold_policy& thresholds, domain::instant now) {
  auto model = std::make_shared<detector_model>();
  auto& f = model->fleet;
  f.horizon = horizon;
  for (const auto& p : topology.proxies)
    f.proxies.push_back({p.id, p.capacity, thresholds.apply(p.capacity, p.threshold)});

  std::unordered_map<std::string, index_t> customer_index;
  std::vector<std::uint8_t> distributes;
  for (const auto& c : inventory.customers) {
    customer_index.emplace(c.id, static_cast<index_t>(f.customers.size()));
    f.customers.push_back(to_customer(c));
    distributes.push_back(f.customers.back().has_service(domain::services::software_distribution));
  }

  model_gaps gaps;
  auto seen = proxies_by_device(topology);
  std::unordered_map<std::string, index_t> device_index;
  device_index.reserve(seen.size());
  for (const auto& d : inventory.devices) {
    auto behind = seen.find(d.id);
    if (behind == seen.end()) continue;
    behind->second.listed = true;
    if (d.mode != domain::monitoring_mode::proxy) {
      ++gaps.devices_direct;
      continue;
    }
    auto customer = customer_index.find(d.customer);
    if (customer == customer_index.end())
      return domain::error{"devices." + d.id + ".customer", "unknown customer " + d.customer};
    device_index.emplace(d.id, static_cast<index_t>(f.devices.size()));
    f.devices.push_back({d.id, customer->second, domain::monitoring_mode::proxy,
                         path_of(d, behind->second.proxies, topology), d.model});
  }
  for (const auto& [device, sighted] : seen)
    if (!sighted.listed) ++gaps.devices_unknown;

  for (const auto& p : inventory.packages) f.packages.push_back({p.id, p.version, p.size_bytes});

  for (const auto& s : inventory.services) {
    domain::service_schedule schedule{std::nullopt,  std::nullopt, s.service,
                                      s.first_start, s.every_s,    s.duration_s};
    if (s.device) {
      auto it = device_index.find(*s.device);
      if (it == device_index.end()) continue;  // Not relayed here: loads no proxy we watch.
      schedule.device = it->second;
    } else if (s.customer) {
      auto it = customer_index.find(*s.customer);
      if (it == customer_index.end())
        return domain::error{"services." + s.service + ".customer",
                             "unknown customer " + *s.customer};
      schedule.customer = it->second;
    }
    f.services.push_back(std::move(schedule));
  }

  std::unordered_map<std::string, index_t> job_index;
  job_index.reserve(jobs.size());
  for (const auto& [id, record] : jobs) {
    if (!record.loads_proxy()) continue;
    auto device = device_index.find(record.device);
    if (device == device_index.end()) continue;
    if (!distributes[f.devices[device->second].customer]) {
      ++gaps.jobs_without_contract;
      continue;
    }
    const auto index = static_cast<index_t>(f.jobs.size());
    job_index.emplace(id, index);
    f.jobs.emplace_back();
    f.jobs.back().device = device->second;
    model->job_versions.push_back(0);
    set_job(*model, index, record, estimates);
  }

  if (auto problem = domain::validate(f)) return *problem;
  model->counting = domain::count_communications(f);
  model->neighbourhoods = std::make_shared<const domain::neighbourhoods>(f);
  model->generation = current_ ? current_->generation + 1 : 1;
  model->full = true;
  model->fetched_at = now;

  publish(model);
  gaps_ = gaps;
  device_index_ = std::move(device_index);
  job_index_ = std::move(job_index);
  customer_distributes_ = std::move(distributes);
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

void model_builder::set_job(detector_model& model, index_t index, const job_record& record,
                            const domain::duration_estimates& estimates) const {
  auto& job = model.fleet.jobs[index];
  job.id = record.id;
  job.package = record.package;
  job.start = record.start;
  job.duration_s =
      estimates.predict(model.fleet.devices[job.device].model, record.package, record.duration_s);
  job.deadline = record.deadline;
  job.priority = record.priority;
  model.job_versions[index] = record.version;
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
    set_job(*next, index, record, estimates);
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
    set_job(*next, index, jobs.at(id), estimates);
    if (next->fleet.jobs[index].duration_s != before) next->changed_jobs.push_back(index);
  }
  // Unpublished, a model without changes would leave a gap in the generations the load
  // detectors see, and a gap makes them rebuild.
  if (next->changed_jobs.empty()) return nullptr;
  std::sort(next->changed_jobs.begin(), next->changed_jobs.end());
  return publish(std::move(next));
}

}  // namespace headroom::detector
