#include "domain/sub_fleet.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace headroom::domain {
namespace {

constexpr index_t absent = std::numeric_limits<index_t>::max();

/// Ascending, without repeats.
void sort_unique(std::vector<index_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::span<const index_t> neighbourhoods::rows::row(index_t owner) const {
  return {items.data() + begin[owner], items.data() + begin[owner + 1]};
}

template <class Each>
neighbourhoods::rows neighbourhoods::build(std::size_t owners, Each&& each) {
  rows r;
  r.begin.assign(owners + 1, 0);
  each([&](index_t owner, index_t) { ++r.begin[owner + 1]; });
  for (std::size_t o = 0; o < owners; ++o) r.begin[o + 1] += r.begin[o];
  r.items.resize(r.begin[owners]);
  auto next = r.begin;
  // Items come in ascending order, so every row is ascending.
  each([&](index_t owner, index_t item) { r.items[next[owner]++] = item; });
  return r;
}

neighbourhoods::neighbourhoods(const fleet& f) {
  devices_behind_ = build(f.proxies.size(), [&](auto&& add) {
    for (index_t d = 0; d < f.devices.size(); ++d)
      if (f.devices[d].relayed())
        for (index_t p : f.devices[d].path) add(p, d);
  });
  jobs_ = jobs_by_device(f);
  services_ = build(f.devices.size(), [&](auto&& add) {
    for (index_t s = 0; s < f.services.size(); ++s)
      if (f.services[s].device) add(*f.services[s].device, s);
  });
  for (index_t s = 0; s < f.services.size(); ++s)
    if (!f.services[s].device) customer_services_.push_back(s);
}

neighbourhoods::rows neighbourhoods::jobs_by_device(const fleet& f) {
  return build(f.devices.size(), [&](auto&& add) {
    for (index_t j = 0; j < f.jobs.size(); ++j) add(f.jobs[j].device, j);
  });
}

neighbourhoods neighbourhoods::with_jobs_of(const fleet& f) const {
  auto out = *this;
  out.jobs_ = jobs_by_device(f);
  return out;
}

std::span<const index_t> neighbourhoods::devices_behind(index_t proxy) const {
  return devices_behind_.row(proxy);
}
std::span<const index_t> neighbourhoods::jobs_of(index_t device) const { return jobs_.row(device); }
std::span<const index_t> neighbourhoods::services_of(index_t device) const {
  return services_.row(device);
}

sub_fleet cut_around(const fleet& f, const counting& c, std::span<const index_t> chosen,
                     const neighbourhoods& n) {
  std::unordered_map<index_t, index_t> proxy_map;
  std::vector<index_t> kept_proxies;
  auto keep_proxy = [&](index_t p) {
    if (proxy_map.try_emplace(p, static_cast<index_t>(kept_proxies.size())).second)
      kept_proxies.push_back(p);
  };
  for (index_t proxy : chosen) keep_proxy(proxy);
  for (index_t proxy : chosen)
    for (index_t d : n.devices_behind(proxy))
      for (index_t p : f.devices[d].path) keep_proxy(p);

  std::vector<index_t> devices;
  for (index_t p : kept_proxies) {
    const auto behind = n.devices_behind(p);
    devices.insert(devices.end(), behind.begin(), behind.end());
  }
  sort_unique(devices);
  std::vector<index_t> customers;
  for (index_t d : devices) customers.push_back(f.devices[d].customer);
  sort_unique(customers);
  const auto position = [](const std::vector<index_t>& sorted, index_t original) {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), original);
    return it != sorted.end() && *it == original ? static_cast<index_t>(it - sorted.begin())
                                                 : absent;
  };

  sub_fleet out;
  out.chosen = static_cast<index_t>(chosen.size());
  auto& part = out.part;
  part.horizon = f.horizon;
  for (index_t p : kept_proxies) part.proxies.push_back(f.proxies[p]);
  for (index_t k : customers) part.customers.push_back(f.customers[k]);
  part.packages = f.packages;

  std::vector<index_t> jobs;
  std::vector<index_t> services = n.customer_services();
  for (index_t d : devices) {
    auto device = f.devices[d];
    device.customer = position(customers, device.customer);
    std::erase_if(device.path, [&](index_t p) { return !proxy_map.contains(p); });
    for (auto& p : device.path) p = proxy_map.at(p);
    part.devices.push_back(std::move(device));
    for (index_t j : n.jobs_of(d))
      if (c.job_counts[j]) jobs.push_back(j);
    const auto own = n.services_of(d);
    services.insert(services.end(), own.begin(), own.end());
  }
  std::sort(jobs.begin(), jobs.end());
  for (index_t j : jobs) {
    out.original_jobs.push_back(j);
    part.jobs.push_back(f.jobs[j]);
    part.jobs.back().device = position(devices, f.jobs[j].device);
  }
  std::sort(services.begin(), services.end());
  for (index_t s : services) {
    auto service = f.services[s];
    if (service.device) {
      service.device = position(devices, *service.device);
    } else {
      const index_t customer = position(customers, *service.customer);
      if (customer == absent) continue;  // no device of that customer loads these proxies
      service.customer = customer;
    }
    part.services.push_back(std::move(service));
  }
  return out;
}

std::vector<std::vector<index_t>> independent_groups(const fleet& f,
                                                     std::span<const index_t> chosen,
                                                     const neighbourhoods& n) {
  if (chosen.size() == 1) return {{chosen.front()}};  // the common increment: nothing to join
  // Union-find over the proxies: a chosen proxy joins every proxy its cut keeps, so two
  // chosen proxies meet exactly when a chain of cuts that share a proxy links them.
  std::unordered_map<index_t, index_t> parent;
  const auto root = [&](index_t p) {
    for (;;) {
      const index_t up = parent.try_emplace(p, p).first->second;
      if (up == p) return p;
      const index_t grand = parent.at(up);
      parent[p] = grand;  // halves the path on the way up
      p = grand;
    }
  };
  for (index_t proxy : chosen)
    for (index_t d : n.devices_behind(proxy))
      for (index_t p : f.devices[d].path) {
        const index_t a = root(proxy);
        const index_t b = root(p);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
      }
  std::vector<index_t> sorted(chosen.begin(), chosen.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::vector<index_t>> groups;
  std::unordered_map<index_t, std::size_t> group_of_root;
  for (index_t proxy : sorted) {
    const auto [it, added] = group_of_root.try_emplace(root(proxy), groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(proxy);
  }
  return groups;
}

}  // namespace headroom::domain
