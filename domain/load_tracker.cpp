#include "domain/load_tracker.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <string>

namespace headroom::domain {
namespace {

/// `a` without `b`: at most two pieces, empty ones left out.
std::vector<interval> minus(interval a, interval b) {
  std::vector<interval> out;
  for (const interval piece :
       {interval{a.start, std::min(a.end, b.start)}, interval{std::max(a.start, b.end), a.end}})
    if (!piece.empty()) out.push_back(piece);
  return out;
}

interval clip(interval span, interval horizon) {
  return {std::max(span.start, horizon.start), std::min(span.end, horizon.end)};
}

}  // namespace

load_tracker::load_tracker(const fleet& f, const counting& c, const schedule& starts,
                           interval horizon, std::vector<index_t> proxies)
    : horizon_(horizon), groups_(c.groups), slot_of_(f.proxies.size(), untracked) {
  if (c.job_counts.size() != f.jobs.size() || starts.size() != f.jobs.size() ||
      c.device_group.size() != f.devices.size())
    throw std::logic_error("load_tracker: counting or schedule sizes do not match the fleet");
  std::sort(proxies.begin(), proxies.end());
  proxies.erase(std::unique(proxies.begin(), proxies.end()), proxies.end());
  for (index_t p : proxies)
    if (p >= f.proxies.size())
      throw std::logic_error("load_tracker: proxy index " + std::to_string(p) +
                             " is not in the fleet");
  for (std::uint32_t s = 0; s < proxies.size(); ++s) slot_of_[proxies[s]] = s;
  devices_.resize(f.devices.size());
  for (index_t d = 0; d < f.devices.size(); ++d) {
    const device& dev = f.devices[d];
    device_entry& e = devices_[d];
    e.group = c.device_group[d];
    e.jobs_count =
        dev.relayed() && f.customers[dev.customer].has_service(services::software_distribution);
    if (!dev.relayed()) continue;
    for (index_t p : dev.path)
      if (slot_of_[p] != untracked) e.slots.push_back(slot_of_[p]);
  }
  auto timelines = proxies.size() == f.proxies.size()
                       ? build_load_profile(f, c, starts, horizon).proxies
                       : shard_timelines(f, c, starts, proxies.size());
  slots_.reserve(proxies.size());
  for (std::uint32_t s = 0; s < proxies.size(); ++s)
    slots_.emplace_back(proxies[s], f.proxies[proxies[s]].threshold, horizon,
                        std::move(timelines[s]));
  changed_.assign(slots_.size(), 0);
  jobs_.resize(f.jobs.size());
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    const index_t d = f.jobs[j].device;
    if (!c.job_counts[j] || starts[j] == unscheduled || devices_[d].slots.empty()) continue;
    jobs_[j] = {{starts[j], starts[j] + f.jobs[j].duration_s}, d, true};
    devices_[d].jobs.push_back(j);
    for (std::uint32_t s : devices_[d].slots) slots_[s].append_job(j, jobs_[j].span);
  }
  for (auto& s : slots_) s.sort_jobs();
}

std::vector<load_timeline> load_tracker::shard_timelines(const fleet& f, const counting& c,
                                                         const schedule& starts,
                                                         std::size_t slots) const {
  // A proxy's load depends only on the relayed devices behind it, their service groups
  // and their counted jobs: the fleet cut down to those, with paths cut to the tracked
  // proxies (numbered by slot), gives the same timelines for a fraction of the work.
  fleet part;
  part.proxies.resize(slots);
  counting counted;
  counted.groups = c.groups;
  schedule part_starts;
  constexpr index_t absent = std::numeric_limits<index_t>::max();
  std::vector<index_t> in_part(f.devices.size(), absent);
  for (index_t d = 0; d < f.devices.size(); ++d) {
    if (devices_[d].slots.empty()) continue;
    in_part[d] = static_cast<index_t>(part.devices.size());
    device cut;
    cut.mode = monitoring_mode::proxy;
    cut.path.assign(devices_[d].slots.begin(), devices_[d].slots.end());
    part.devices.push_back(std::move(cut));
    counted.device_group.push_back(c.device_group[d]);
  }
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    const index_t d = in_part[f.jobs[j].device];
    if (d == absent || !c.job_counts[j] || starts[j] == unscheduled) continue;
    job cut;
    cut.device = d;
    cut.duration_s = f.jobs[j].duration_s;
    part.jobs.push_back(std::move(cut));
    counted.job_counts.push_back(1);
    part_starts.push_back(starts[j]);
  }
  return build_load_profile(part, counted, part_starts, horizon_).proxies;
}

void load_tracker::place(index_t job, index_t device, std::optional<interval> span) {
  if (device >= devices_.size())
    throw std::logic_error("load_tracker::place: device index " + std::to_string(device) +
                           " is not in the fleet the tracker was built on");
  if (job >= jobs_.size()) jobs_.resize(static_cast<std::size_t>(job) + 1);
  const job_entry before = jobs_[job];
  const device_entry& d = devices_[device];
  job_entry after;
  if (span && d.jobs_count && !d.slots.empty()) after = {*span, device, true};
  if (!before.loads && !after.loads) return;
  if (before.loads && after.loads && before.device == after.device && before.span == after.span)
    return;

  // What the change can alter: the tracked proxies of both devices, over both spans.
  const std::array<const job_entry*, 2> both{&before, &after};
  std::vector<std::uint32_t> affected;
  for (const job_entry* e : both)
    if (e->loads)
      affected.insert(affected.end(), devices_[e->device].slots.begin(),
                      devices_[e->device].slots.end());
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
  std::vector<interval> ranges;
  for (const job_entry* e : both)
    if (e->loads && !clip(e->span, horizon_).empty()) ranges.push_back(clip(e->span, horizon_));
  sort_and_merge(ranges);
  struct seen {
    std::vector<window_bounds> windows;
    std::pair<std::size_t, std::size_t> hit;
  };
  std::vector<seen> was;
  was.reserve(affected.size());
  for (std::uint32_t s : affected)
    was.push_back(
        {slots_[s].windows_touching(ranges), before.loads && on_path(before.device, s)
                                                 ? slots_[s].windows_hit(before.span)
                                                 : std::pair<std::size_t, std::size_t>{}});

  move_load(job, before, after);

  for (std::size_t k = 0; k < affected.size(); ++k) {
    const std::uint32_t s = affected[k];
    if (changed_[s]) continue;
    // The windows that touch neither range are the same as before; with the touching
    // ones unchanged too, only this job's own membership can differ.
    const auto hit = after.loads && on_path(after.device, s)
                         ? slots_[s].windows_hit(after.span)
                         : std::pair<std::size_t, std::size_t>{};
    if (hit != was[k].hit || slots_[s].windows_touching(ranges) != was[k].windows) {
      changed_[s] = 1;
      changed_slots_.push_back(s);
    }
  }
}

void load_tracker::move_load(index_t job, const job_entry& before, const job_entry& after) {
  if (before.loads) unregister_job(job, before);
  if (before.loads && after.loads && before.device == after.device) {
    // Coverage before is others ∪ old, after is others ∪ new: only the symmetric
    // difference of the two spans can change, and only where the others are absent.
    for (const interval& piece : minus(before.span, after.span))
      add_device_load(after.device, piece, -1);
    for (const interval& piece : minus(after.span, before.span))
      add_device_load(after.device, piece, +1);
  } else {
    if (before.loads) add_device_load(before.device, before.span, -1);
    if (after.loads) add_device_load(after.device, after.span, +1);
  }
  if (after.loads) register_job(job, after);
  jobs_[job] = after;
}

std::vector<interval> load_tracker::uncovered(index_t device, interval range) const {
  range = clip(range, horizon_);
  if (range.empty()) return {};
  const device_entry& d = devices_[device];
  std::vector<interval> busy;
  if (d.group != no_group) busy = occurrences_union(groups_[d.group], range);
  for (index_t other : d.jobs)
    if (jobs_[other].span.intersects(range)) busy.push_back(jobs_[other].span);
  sort_and_merge(busy);
  std::vector<interval> out;
  instant cursor = range.start;
  for (const interval& b : busy) {
    if (b.start > cursor) out.push_back({cursor, std::min(b.start, range.end)});
    cursor = std::max(cursor, b.end);
    if (cursor >= range.end) break;
  }
  if (cursor < range.end) out.push_back({cursor, range.end});
  return out;
}

void load_tracker::add_device_load(index_t device, interval span, std::int32_t delta) {
  const auto pieces = uncovered(device, span);
  for (std::uint32_t s : devices_[device].slots)
    for (const interval& piece : pieces) slots_[s].add(piece, delta);
}

void load_tracker::register_job(index_t job, const job_entry& e) {
  devices_[e.device].jobs.push_back(job);
  for (std::uint32_t s : devices_[e.device].slots) slots_[s].insert_job(job, e.span);
}

void load_tracker::unregister_job(index_t job, const job_entry& e) {
  auto& jobs = devices_[e.device].jobs;
  const auto it = std::find(jobs.begin(), jobs.end(), job);
  if (it != jobs.end()) {
    *it = jobs.back();
    jobs.pop_back();
  }
  for (std::uint32_t s : devices_[e.device].slots) slots_[s].erase_job(job, e.span);
}

bool load_tracker::on_path(index_t device, std::uint32_t s) const {
  const auto& slots = devices_[device].slots;
  return std::find(slots.begin(), slots.end(), s) != slots.end();
}

std::vector<index_t> load_tracker::take_changed() {
  std::sort(changed_slots_.begin(), changed_slots_.end());
  std::vector<index_t> out;
  out.reserve(changed_slots_.size());
  for (std::uint32_t s : changed_slots_) {
    out.push_back(slots_[s].proxy());
    changed_[s] = 0;
  }
  changed_slots_.clear();
  return out;
}

const tracked_proxy& load_tracker::slot(index_t proxy) const {
  if (!tracks(proxy))
    throw std::logic_error("load_tracker: proxy index " + std::to_string(proxy) +
                           " is not tracked");
  return slots_[slot_of_[proxy]];
}

bool load_tracker::tracks(index_t proxy) const {
  return proxy < slot_of_.size() && slot_of_[proxy] != untracked;
}

std::vector<index_t> load_tracker::proxies() const {
  std::vector<index_t> out;
  out.reserve(slots_.size());
  for (const auto& s : slots_) out.push_back(s.proxy());
  return out;
}

std::vector<overload_window> load_tracker::windows(index_t proxy) const {
  return slot(proxy).windows();
}

load_timeline load_tracker::timeline(index_t proxy) const { return slot(proxy).timeline(); }

std::size_t load_tracker::memory_bytes() const {
  std::size_t bytes =
      slot_of_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(tracked_proxy) +
      devices_.capacity() * sizeof(device_entry) + jobs_.capacity() * sizeof(job_entry) +
      changed_.capacity() + changed_slots_.capacity() * sizeof(std::uint32_t);
  for (const auto& g : groups_) bytes += sizeof(g) + g.capacity() * sizeof(periodic);
  for (const auto& s : slots_) bytes += s.memory_bytes();
  for (const auto& d : devices_)
    bytes += d.slots.capacity() * sizeof(std::uint32_t) + d.jobs.capacity() * sizeof(index_t);
  return bytes;
}

}  // namespace headroom::domain
