#include "sim/replay_layout.hpp"

#include <algorithm>
#include <numeric>

#include "domain/counting.hpp"

namespace headroom::sim {
namespace {

using domain::index_t;

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

replay_layout lay_out(const domain::fleet& f) {
  replay_layout out;
  const auto device_rank = ranks_by_id(f.devices);
  std::vector<index_t> by_customer(f.devices.size());
  std::iota(by_customer.begin(), by_customer.end(), 0);
  std::sort(by_customer.begin(), by_customer.end(), [&](index_t a, index_t b) {
    const auto ca = f.devices[a].customer;
    const auto cb = f.devices[b].customer;
    return ca != cb ? ca < cb : device_rank[a] < device_rank[b];
  });
  std::vector<index_t> number(f.devices.size());
  out.path_begin.reserve(f.devices.size() + 1);
  for (index_t k = 0; k < by_customer.size(); ++k) {
    const auto& d = f.devices[by_customer[k]];
    number[by_customer[k]] = k;
    out.path_begin.push_back(static_cast<std::uint32_t>(out.path.size()));
    if (d.relayed()) out.path.insert(out.path.end(), d.path.begin(), d.path.end());
  }
  out.path_begin.push_back(static_cast<std::uint32_t>(out.path.size()));

  out.job_device.reserve(f.jobs.size());
  for (const auto& job : f.jobs) out.job_device.push_back(number[job.device]);
  out.job_rank = ranks_by_id(f.jobs);

  auto loaded = domain::devices_per_service(f);
  out.service_begin.reserve(f.services.size() + 1);
  for (auto& devices : loaded) {
    // A service entry loads one device or one customer's: ascending numbers are its
    // devices in id order.
    for (auto& d : devices) d = number[d];
    std::sort(devices.begin(), devices.end());
    out.service_begin.push_back(static_cast<std::uint32_t>(out.service_devices.size()));
    out.service_devices.insert(out.service_devices.end(), devices.begin(), devices.end());
  }
  out.service_begin.push_back(static_cast<std::uint32_t>(out.service_devices.size()));
  return out;
}

}  // namespace headroom::sim
