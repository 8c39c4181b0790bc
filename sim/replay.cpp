#include "sim/replay.hpp"

#include <algorithm>

#include "domain/admission.hpp"

namespace headroom::sim {

using domain::index_t;
using domain::instant;

std::int64_t count_service_occurrences(const domain::fleet& f, const replay_layout& layout,
                                       domain::interval horizon) {
  std::int64_t total = 0;
  for (std::size_t s = 0; s < f.services.size(); ++s) {
    const std::int64_t devices = layout.service_begin[s + 1] - layout.service_begin[s];
    const auto pattern = domain::pattern_of(f.services[s]);
    const instant first = domain::first_ending_after(pattern, horizon.start);
    if (devices == 0 || first >= horizon.end) continue;
    total += devices * ((horizon.end - first - 1) / pattern.every + 1);
  }
  return total;
}

replay::replay(const domain::fleet& f, const domain::counting& c, const replay_layout& layout,
               const std::vector<std::int64_t>& durations, retry_policy policy,
               domain::interval horizon, load_series chart)
    : fleet_(f),
      counted_(c.job_counts),
      layout_(layout),
      durations_(durations),
      policy_(policy),
      horizon_(horizon),
      load_(std::move(chart)) {
  device_active_.assign(f.devices.size(), 0);
  for (const auto& p : f.proxies) capacity_.push_back(p.capacity);
  proxy_active_.assign(f.proxies.size(), 0);
  peak_.assign(f.proxies.size(), 0);
  load_.peak_by_proxy.assign(f.proxies.size(), {});

  jobs_.resize(f.jobs.size());
  for (index_t j = 0; j < f.jobs.size(); ++j) jobs_[j].outcome.job = j;

  services_.resize(f.services.size());
  for (index_t s = 0; s < f.services.size(); ++s) {
    const auto pattern = domain::pattern_of(f.services[s]);
    auto& stream = services_[s];
    stream.first = layout.service_begin[s];
    stream.last = layout.service_begin[s + 1];
    stream.next = domain::first_ending_after(pattern, horizon.start);
    stream.every = pattern.every;
    stream.duration = pattern.duration;
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
  const auto& path = layout_.path;
  const auto first = layout_.path_begin[device];
  const auto last = layout_.path_begin[device + 1];
  for (auto i = first; i < last; ++i)
    if (!domain::admits(active, proxy_active_[path[i]], capacity_[path[i]])) return false;
  if (!active)
    for (auto i = first; i < last; ++i) count_load(path[i], proxy_active_[path[i]] + 1);
  ++device_active_[device];
  return true;
}

void replay::end(index_t device) {
  ++events_;
  if (--device_active_[device] > 0) return;
  const auto& path = layout_.path;
  for (auto i = layout_.path_begin[device]; i < layout_.path_begin[device + 1]; ++i)
    count_load(path[i], proxy_active_[path[i]] - 1);
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
  if (try_start(layout_.job_device[job])) {
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
    const index_t device = layout_.service_devices[i];
    if (try_start(device))
      calendar_.at(now_ + stream.duration).service_ends.push_back(device);
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
    end(layout_.job_device[job]);
    finish(job, true);
  }
  std::sort(events.service_starts.begin(), events.service_starts.end());
  for (std::size_t i = 0; i < events.service_starts.size(); ++i) occur(events.service_starts[i]);
  // A job released while the starts are tried (a group opened by a last refused try) comes
  // after them, in id order too; one released by an end is sorted in with them.
  const auto& rank = layout_.job_rank;
  const auto by_id = [&](index_t a, index_t b) { return rank[a] < rank[b]; };
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
