#include "detector/model_draft.hpp"

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

model_draft::model_draft(const topology_view& topology, const distribution_api::inventory& devices,
                         const threshold_policy& thresholds) {
  auto& f = model_->fleet;
  for (const auto& p : topology.proxies)
    f.proxies.push_back({p.id, p.capacity, thresholds.apply(p.capacity, p.threshold)});

  for (const auto& c : devices.customers) {
    customer_index_.emplace(c.id, static_cast<index_t>(f.customers.size()));
    f.customers.push_back(to_customer(c));
    customer_distributes_.push_back(
        f.customers.back().has_service(domain::services::software_distribution));
  }

  auto seen = proxies_by_device(topology);
  device_index_.reserve(seen.size());
  for (const auto& d : devices.devices) {
    auto behind = seen.find(d.id);
    if (behind == seen.end()) continue;
    behind->second.listed = true;
    if (d.mode != domain::monitoring_mode::proxy) {
      ++gaps_.devices_direct;
      continue;
    }
    auto customer = customer_index_.find(d.customer);
    if (customer == customer_index_.end()) {
      problem_ = domain::error{"devices." + d.id + ".customer", "unknown customer " + d.customer};
      return;
    }
    device_index_.emplace(d.id, static_cast<index_t>(f.devices.size()));
    f.devices.push_back({d.id, customer->second, domain::monitoring_mode::proxy,
                         path_of(d, behind->second.proxies, topology), d.model});
  }
  for (const auto& [device, sighted] : seen)
    if (!sighted.listed) ++gaps_.devices_unknown;

  for (const auto& p : devices.packages) f.packages.push_back({p.id, p.version, p.size_bytes});
}

void model_draft::add_services(const std::vector<distribution_api::service_record>& services) {
  has_services_ = true;
  if (problem_) return;
  auto& f = model_->fleet;
  for (const auto& s : services) {
    domain::service_schedule schedule{std::nullopt,  std::nullopt, s.service,
                                      s.first_start, s.every_s,    s.duration_s};
    if (s.device) {
      auto it = device_index_.find(*s.device);
      if (it == device_index_.end()) continue;  // Not relayed here: loads no proxy we watch.
      schedule.device = it->second;
    } else if (s.customer) {
      auto it = customer_index_.find(*s.customer);
      if (it == customer_index_.end()) {
        problem_ =
            domain::error{"services." + s.service + ".customer", "unknown customer " + *s.customer};
        return;
      }
      schedule.customer = it->second;
    }
    f.services.push_back(std::move(schedule));
  }
}

void model_draft::add_jobs(const job_map& jobs, const domain::duration_estimates& estimates) {
  has_jobs_ = true;
  if (problem_) return;
  auto& f = model_->fleet;
  job_index_.reserve(jobs.size());
  for (const auto& [id, record] : jobs) {
    if (!record.loads_proxy()) continue;
    auto device = device_index_.find(record.device);
    if (device == device_index_.end()) continue;
    if (!customer_distributes_[f.devices[device->second].customer]) {
      ++gaps_.jobs_without_contract;
      continue;
    }
    const auto index = static_cast<index_t>(f.jobs.size());
    job_index_.emplace(id, index);
    f.jobs.emplace_back();
    f.jobs.back().device = device->second;
    model_->job_versions.push_back(0);
    set_job(*model_, index, record, estimates);
  }
}

domain::expected<std::shared_ptr<detector_model>> model_draft::finish(domain::interval horizon,
                                                                      domain::instant now) {
  if (problem_) return *problem_;
  auto& f = model_->fleet;
  f.horizon = horizon;
  if (auto problem = domain::validate(f)) return *problem;
  model_->counting = domain::count_communications(f);
  model_->neighbourhoods = std::make_shared<const domain::neighbourhoods>(f);
  model_->full = true;
  model_->fetched_at = now;
  return model_;
}

void model_draft::set_job(detector_model& model, index_t index, const job_record& record,
                          const domain::duration_estimates& estimates) {
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

}  // namespace headroom::detector
