#include "tests/support/brute_force.hpp"

#include <algorithm>

namespace headroom::test {
namespace {

bool has(const domain::customer& c, const std::string& service) {
  return std::find(c.services.begin(), c.services.end(), service) != c.services.end();
}

bool service_active(const domain::service_schedule& s, domain::instant t) {
  std::int64_t since = (t - s.first_start) % s.every_s;
  if (since < 0) since += s.every_s;
  return since < s.duration_s;
}

}  // namespace

bool job_counts(const domain::fleet& f, domain::index_t j) {
  const auto& d = f.devices[f.jobs[j].device];
  return d.mode == domain::monitoring_mode::proxy &&
         has(f.customers[d.customer], "software_distribution");
}

std::vector<std::vector<std::int32_t>> brute_force_loads(const domain::fleet& f,
                                                         const domain::schedule& starts,
                                                         domain::interval horizon) {
  const auto seconds = static_cast<std::size_t>(horizon.length());
  std::vector<std::vector<std::int32_t>> loads(f.proxies.size(),
                                               std::vector<std::int32_t>(seconds, 0));
  for (domain::index_t d = 0; d < f.devices.size(); ++d) {
    const auto& dev = f.devices[d];
    if (dev.mode != domain::monitoring_mode::proxy) continue;
    const auto& cust = f.customers[dev.customer];
    std::vector<const domain::service_schedule*> mine;
    for (const auto& s : f.services)
      if (((s.device && *s.device == d) || (s.customer && *s.customer == dev.customer)) &&
          has(cust, s.service))
        mine.push_back(&s);
    std::vector<domain::index_t> jobs;
    for (domain::index_t j = 0; j < f.jobs.size(); ++j)
      if (f.jobs[j].device == d && job_counts(f, j) && starts[j] != domain::unscheduled)
        jobs.push_back(j);
    for (std::size_t k = 0; k < seconds; ++k) {
      const domain::instant t = horizon.start + static_cast<domain::instant>(k);
      bool active = std::any_of(jobs.begin(), jobs.end(), [&](domain::index_t j) {
        return starts[j] <= t && t < starts[j] + f.jobs[j].duration_s;
      });
      active = active || std::any_of(mine.begin(), mine.end(),
                                     [&](auto* s) { return service_active(*s, t); });
      if (active)
        for (auto p : dev.path) ++loads[p][k];
    }
  }
  return loads;
}

std::vector<reference_window> brute_force_windows(const domain::fleet& f,
                                                  const domain::schedule& starts,
                                                  domain::interval horizon) {
  const auto loads = brute_force_loads(f, starts, horizon);
  std::vector<reference_window> out;
  for (domain::index_t p = 0; p < f.proxies.size(); ++p) {
    const auto threshold = f.proxies[p].threshold;
    const auto& load = loads[p];
    for (std::size_t k = 0; k < load.size();) {
      if (load[k] <= threshold) {
        ++k;
        continue;
      }
      reference_window w{
          f.proxies[p].id, {horizon.start + static_cast<domain::instant>(k), 0}, 0, threshold, {}};
      for (; k < load.size() && load[k] > threshold; ++k) w.peak = std::max(w.peak, load[k]);
      w.span.end = horizon.start + static_cast<domain::instant>(k);
      for (domain::index_t j = 0; j < f.jobs.size(); ++j) {
        const auto& path = f.devices[f.jobs[j].device].path;
        if (!job_counts(f, j) || starts[j] == domain::unscheduled ||
            std::find(path.begin(), path.end(), p) == path.end())
          continue;
        if (starts[j] < w.span.end && w.span.start < starts[j] + f.jobs[j].duration_s)
          w.jobs.push_back(f.jobs[j].id);
      }
      std::sort(w.jobs.begin(), w.jobs.end());
      out.push_back(std::move(w));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.proxy < b.proxy; });
  return out;
}

}  // namespace headroom::test
