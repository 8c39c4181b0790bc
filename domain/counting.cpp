#include "domain/counting.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace headroom::domain {
namespace {

std::string ignore_reason(const fleet& f, const job& j) {
  const device& d = f.devices[j.device];
  if (!d.relayed()) return "device " + d.id + " is in direct mode";
  return "customer " + f.customers[d.customer].id + " has no " + services::software_distribution +
         " contract";
}

/// The periodic patterns that load each relayed device, unsorted.
std::vector<std::vector<periodic>> patterns_per_device(const fleet& f) {
  std::vector<std::vector<periodic>> patterns;
  if (f.services.empty()) return patterns;
  patterns.resize(f.devices.size());
  const auto loaded = devices_per_service(f);
  for (std::size_t s = 0; s < f.services.size(); ++s) {
    const periodic p = pattern_of(f.services[s]);
    for (index_t d : loaded[s]) patterns[d].push_back(p);
  }
  return patterns;
}

struct patterns_hash {
  std::size_t operator()(const std::vector<periodic>& patterns) const {
    std::size_t h = patterns.size();
    for (const auto& p : patterns)
      for (std::int64_t v : {p.phase, p.every, p.duration})
        h = (h ^ std::hash<std::int64_t>{}(v)) * 0x100000001B3ull;
    return h;
  }
};

}  // namespace

periodic pattern_of(const service_schedule& s) {
  instant phase = s.first_start % s.every_s;
  if (phase < 0) phase += s.every_s;
  return {phase, s.every_s, s.duration_s};
}

std::vector<std::vector<index_t>> devices_per_service(const fleet& f) {
  std::vector<std::vector<index_t>> loaded(f.services.size());
  if (f.services.empty()) return loaded;
  std::vector<std::vector<index_t>> devices_of_customer(f.customers.size());
  for (index_t d = 0; d < f.devices.size(); ++d)
    if (f.devices[d].relayed()) devices_of_customer[f.devices[d].customer].push_back(d);
  for (std::size_t i = 0; i < f.services.size(); ++i) {
    const auto& s = f.services[i];
    if (s.device) {
      const device& d = f.devices[*s.device];
      if (d.relayed() && f.customers[d.customer].has_service(s.service))
        loaded[i].push_back(*s.device);
    } else if (f.customers[*s.customer].has_service(s.service)) {
      loaded[i] = devices_of_customer[*s.customer];
    }
  }
  return loaded;
}

counting count_communications(const fleet& f) {
  counting out;
  out.job_counts.resize(f.jobs.size());
  std::vector<std::uint8_t> distribution(f.customers.size());
  for (index_t k = 0; k < f.customers.size(); ++k)
    distribution[k] = f.customers[k].has_service(services::software_distribution) ? 1 : 0;
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    const job& job = f.jobs[j];
    const device& d = f.devices[job.device];
    const bool counts = d.relayed() && distribution[d.customer];
    out.job_counts[j] = counts ? 1 : 0;
    if (!counts) out.ignored.push_back({j, ignore_reason(f, job)});
  }
  out.device_group.assign(f.devices.size(), no_group);
  std::unordered_map<std::vector<periodic>, index_t, patterns_hash> group_of;
  auto patterns = patterns_per_device(f);
  for (index_t d = 0; d < patterns.size(); ++d) {
    auto& mine = patterns[d];
    if (mine.empty()) continue;
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    auto [it, inserted] =
        group_of.try_emplace(std::move(mine), static_cast<index_t>(out.groups.size()));
    if (inserted) out.groups.push_back(it->first);
    out.device_group[d] = it->second;
  }
  return out;
}

bool never_overlap(const periodic& a, const periodic& b) {
  const std::int64_t g = std::gcd(a.every, b.every);
  std::int64_t r = (a.phase - b.phase) % g;
  if (r < 0) r += g;
  // They overlap iff some a-start minus b-start lies in (-a.duration, b.duration);
  // r and r - g are the candidates closest to zero.
  return r >= b.duration && r <= g - a.duration;
}

bool pairwise_disjoint(const std::vector<periodic>& group) {
  for (std::size_t i = 0; i < group.size(); ++i)
    for (std::size_t k = i + 1; k < group.size(); ++k)
      if (!never_overlap(group[i], group[k])) return false;
  return true;
}

std::vector<interval> occurrences_union(const std::vector<periodic>& group, interval range) {
  std::vector<interval> all;
  for (const auto& p : group) for_each_occurrence(p, range, [&](interval o) { all.push_back(o); });
  sort_and_merge(all);
  return all;
}

}  // namespace headroom::domain
