#include "sim/replay.hpp"

#include <algorithm>
#include <numeric>

#include "domain/admission.hpp"

namespace headroom::sim {
namespace {

using domain::index_t;
using domain::instant;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

/// Each element's position in the byte order of the ids.
template <class T>
std::vector<std::uint32_t> ranks_by_id(const std::vector<T>& items) {
  std::vector<index_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](index_t a, index_t b) { return items[a].id < items[b].id; });
  std::vector<std::uint32_t> rank(items.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  return rank;
}

}  // namespace

instant first_occurrence(const domain::service_schedule& s, domain::interval horizon) {
  const auto k = floor_div(horizon.start - s.duration_s - s.first_start, s.every_s) + 1;
  return s.first_start + k * s.every_s;
}

std::int64_t count_service_occurrences(const domain::fleet& f, domain::interval horizon) {
  const auto loaded = domain::devices_per_service(f);
  std::int64_t total = 0;
  for (std::size_t s = 0; s < f.services.size(); ++s) {
    if (loaded[s].empty()) continue;
    const auto& schedule = f.services[s];
    const instant first = first_occurrence(schedule, horizon);
    if (first >= horizon.end) continue;
    const std::int64_t occurrences = (horizon.end - first - 1) / schedule.every_s + 1;
    total += occurrences * static_cast<std::int64_t>(loaded[s].size());
  }
  return total;
}

replay::replay(const domain::fleet& f, const domain::counting& c,
               std::vector<std::int64_t> durations, retry_policy policy, domain::interval horizon,
               load_series chart)
    : fleet_(f),
      counted_(c.job_counts),
      policy_(policy),
      horizon_(horizon),
      durations_(std::move(durations)),
      load_(std::move(chart)) {
  // Devices are numbered inside the replay by (customer, id): a customer-wide service
  // occurrence then walks one stretch of memory instead of a million scattered ones.
  const auto device_rank = ranks_by_id(f.devices);
  std::vector<index_t> by_customer(f.devices.size());
  std::iota(by_customer.begin(), by_customer.end(), 0);
  std::sort(by_customer.begin(), by_customer.end(), [&](index_t a, index_t b) {
    const auto ca = f.devices[a].customer;
    const auto cb = f.devices[b].customer;
    return ca != cb ? ca < cb : device_rank[a] < device_rank[b];
  });
  std::vector<index_t> inside(f.devices.size());
  path_begin_.reserve(f.devices.size() + 1);
  for (index_t k = 0; k < by_customer.size(); ++k) {
    const auto& d = f.devices[by_customer[k]];
    inside[by_customer[k]] = k;
    path_begin_.push_back(static_cast<std::uint32_t>(path_.size()));
    if (d.relayed()) path_.insert(path_.end(), d.path.begin(), d.path.end());
  }
  path_begin_.push_back(static_cast<std::uint32_t>(path_.size()));
  device_active_.assign(f.devices.size(), 0);
  for (const auto& p : f.proxies) capacity_.push_back(p.capacity);
  proxy_active_.assign(f.proxies.size(), 0);
  peak_.assign(f.proxies.size(), 0);
  load_.peak_by_proxy.assign(f.proxies.size(), {});

  jobs_.resize(f.jobs.size());
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    jobs_[j].outcome.job = j;
    jobs_[j].device = inside[f.jobs[j].device];
  }
  job_rank_ = ranks_by_id(f.jobs);

  auto loaded = domain::devices_per_service(f);
  services_.resize(f.services.size());
  for (index_t s = 0; s < f.services.size(); ++s) {
    auto& devices = loaded[s];
    // The inside numbers follow the ids within a customer, and a service entry loads one
    // device or one customer's: ascending inside numbers are the devices in id order.
    for (auto& d : devices) d = inside[d];
    std::sort(devices.begin(), devices.end());
    auto& stream = services_[s];
    stream.first = static_cast<std::uint32_t>(service_devices_.size());
    service_devices_.insert(service_devices_.end(), devices.begin(), devices.end());
    stream.last = static_cast<std::uint32_t>(service_devices_.size());
    stream.next = first_occurrence(f.services[s], horizon);
    stream.every = f.services[s].every_s;
    stream.duration = f.services[s].duration_s;
    if (stream.first != stream.last && stream.next < horizon.end)
      calendar_.at(stream.next).service_starts.push_back(s);
  }
}

void replay::release(index_t job, instant at) {
  auto& slot = jobs_[job];
  slot.state = job_state::pending;
  slot.next_try = at;
  calendar_.at(at).job_starts.push_back(job);
}

bool replay::move(index_t job, instant at) {
  auto& slot = jobs_[job];
  if (slot.state != job_state::pending || at <= now_) return false;
  slot.next_try = at;
  calendar_.at(at).job_starts.push_back(job);
  return true;
}

void replay::count_load(index_t proxy, std::int32_t level) {
  auto& series = load_.peak_by_proxy[proxy];
  const auto bucket =
      static_cast<std::size_t>(std::max<instant>(0, now_ - load_.origin) / load_.bucket_s);
  // The buckets since the last change held the level from before this one throughout.
  if (series.size() <= bucket) series.resize(bucket + 1, proxy_active_[proxy]);
  proxy_active_[proxy] = level;
  series[bucket] = std::max(series[bucket], level);
  peak_[proxy] = std::max(peak_[proxy], level);
}

bool replay::try_start(index_t device) {
  const bool active = device_active_[device] > 0;
  const auto first = path_begin_[device];
  const auto last = path_begin_[device + 1];
  for (auto i = first; i < last; ++i)
    if (!domain::admits(active, proxy_active_[path_[i]], capacity_[path_[i]])) return false;
  if (!active)
    for (auto i = first; i < last; ++i) count_load(path_[i], proxy_active_[path_[i]] + 1);
  ++device_active_[device];
  return true;
}

void replay::end(index_t device) {
  ++events_;
  if (--device_active_[device] > 0) return;
  for (auto i = path_begin_[device]; i < path_begin_[device + 1]; ++i)
    count_load(path_[i], proxy_active_[path_[i]] - 1);
}

void replay::finish(index_t job, bool succeeded) {
  jobs_[job].state = succeeded ? job_state::succeeded : job_state::failed;
  jobs_[job].outcome.succeeded = succeeded;
  ++finished_;
  if (observer_) observer_->finished(job, now_, succeeded);
}

void replay::attempt(index_t job) {
  auto& slot = jobs_[job];
  // A job moved after this try was planned has another entry at its new second.
  if (slot.state != job_state::pending || slot.next_try != now_) return;
  ++events_;
  if (slot.outcome.attempts++ == 0) slot.outcome.planned = now_;
  if (try_start(slot.device)) {
    slot.state = job_state::active;
    slot.outcome.start = now_;
    slot.outcome.end = now_ + durations_[job];
    calendar_.at(*slot.outcome.end).job_ends.push_back(job);
    return;
  }
  ++refusals_;
  if (slot.outcome.attempts > policy_.retries) {
    if (observer_) observer_->refused(job, now_, std::nullopt);
    finish(job, false);
    return;
  }
  slot.next_try = now_ + policy_.retry_after_s;
  calendar_.at(slot.next_try).job_starts.push_back(job);
  if (observer_) observer_->refused(job, now_, slot.next_try);
}

void replay::occur(index_t service) {
  auto& stream = services_[service];
  for (auto i = stream.first; i < stream.last; ++i) {
    ++events_;
    if (try_start(service_devices_[i]))
      calendar_.at(now_ + stream.duration).service_ends.push_back(service_devices_[i]);
    else
      ++service_refusals_;
  }
  stream.next += stream.every;
  if (stream.next < horizon_.end) calendar_.at(stream.next).service_starts.push_back(service);
}

bool replay::step() {
  const auto next = calendar_.next();
  if (!next) return false;
  now_ = *next;
  auto& events = calendar_.at(now_);
  for (index_t device : events.service_ends) end(device);
  for (std::size_t i = 0; i < events.job_ends.size(); ++i) {
    const index_t job = events.job_ends[i];
    end(jobs_[job].device);
    finish(job, true);
  }
  std::sort(events.service_starts.begin(), events.service_starts.end());
  for (std::size_t i = 0; i < events.service_starts.size(); ++i) occur(events.service_starts[i]);
  // Jobs released while this second is handled (a group opening) are tried after the
  // others, in id order too.
  const auto by_id = [&](index_t a, index_t b) { return job_rank_[a] < job_rank_[b]; };
  for (std::size_t done = 0; done < events.job_starts.size();) {
    const std::size_t end = events.job_starts.size();
    std::sort(events.job_starts.begin() + static_cast<std::ptrdiff_t>(done),
              events.job_starts.end(), by_id);
    for (std::size_t i = done; i < end; ++i) attempt(events.job_starts[i]);
    done = end;
  }
  calendar_.release(now_);
  return true;
}

void replay::collect(strategy_result& out) {
  out.refusals = refusals_;
  out.service_refusals = service_refusals_;
  out.events = events_;
  out.peak = peak_;
  out.outcomes.clear();
  for (index_t j = 0; j < jobs_.size(); ++j)
    if (counted_[j]) out.outcomes.push_back(jobs_[j].outcome);
  out.load = std::move(load_);
}

}  // namespace headroom::sim
