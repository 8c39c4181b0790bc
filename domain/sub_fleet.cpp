#include "domain/sub_fleet.hpp"

#include <algorithm>

namespace headroom::domain {

sub_fleet cut_around(const fleet& f, const counting& c, index_t proxy) {
  constexpr index_t absent = std::numeric_limits<index_t>::max();
  std::vector<index_t> proxy_map(f.proxies.size(), absent);
  std::vector<index_t> kept_proxies;
  auto keep_proxy = [&](index_t p) {
    if (proxy_map[p] != absent) return;
    proxy_map[p] = static_cast<index_t>(kept_proxies.size());
    kept_proxies.push_back(p);
  };
  keep_proxy(proxy);
  for (const auto& d : f.devices)
    if (d.relayed() && std::find(d.path.begin(), d.path.end(), proxy) != d.path.end())
      for (index_t p : d.path) keep_proxy(p);

  sub_fleet out;
  out.proxy = 0;
  auto& part = out.part;
  part.horizon = f.horizon;
  for (index_t p : kept_proxies) part.proxies.push_back(f.proxies[p]);
  part.customers = f.customers;
  part.packages = f.packages;

  std::vector<index_t> device_map(f.devices.size(), absent);
  for (index_t d = 0; d < f.devices.size(); ++d) {
    const auto& device = f.devices[d];
    if (!device.relayed()) continue;
    std::vector<index_t> path;
    for (index_t p : device.path)
      if (proxy_map[p] != absent) path.push_back(proxy_map[p]);
    if (path.empty()) continue;
    device_map[d] = static_cast<index_t>(part.devices.size());
    part.devices.push_back(device);
    part.devices.back().path = std::move(path);
  }
  for (index_t j = 0; j < f.jobs.size(); ++j) {
    if (!c.job_counts[j] || device_map[f.jobs[j].device] == absent) continue;
    out.original_jobs.push_back(j);
    part.jobs.push_back(f.jobs[j]);
    part.jobs.back().device = device_map[f.jobs[j].device];
  }
  for (const auto& s : f.services) {
    if (s.device && device_map[*s.device] == absent) continue;
    part.services.push_back(s);
    if (s.device) part.services.back().device = device_map[*s.device];
  }
  return out;
}

}  // namespace headroom::domain
