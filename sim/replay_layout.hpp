#pragma once
// What every replay of one fleet shares and none changes, laid out once per fleet rather
// than once per strategy (sorting a million ids is not free).

#include <cstdint>
#include <vector>

#include "domain/fleet.hpp"

namespace headroom::sim {

/// Devices are numbered by (customer, id), so that a customer-wide service occurrence walks
/// one stretch of memory instead of a million scattered ones; within a customer the
/// numbers follow the ids.
struct replay_layout {
  std::vector<std::uint32_t> path_begin;    ///< By device number, one more than devices.
  std::vector<domain::index_t> path;        ///< Every device's proxies, flattened.
  std::vector<domain::index_t> job_device;  ///< By job: its device's number.
  std::vector<std::uint32_t> job_rank;      ///< By job: its position in id order.
  /// By services[] entry, one more than entries: where its devices start in
  /// service_devices, where they are in id order.
  std::vector<std::uint32_t> service_begin;
  std::vector<domain::index_t> service_devices;
};

replay_layout lay_out(const domain::fleet& f);

}  // namespace headroom::sim
