#pragma once
// CAF announcements of the distribution system's records (distribution_records.hpp),
// so that the detector's actors can exchange them as typed messages.

#include <caf/detail/scope_guard.hpp>
#include <caf/meta/type_name.hpp>
#include <optional>
#include <type_traits>

#include "messages/caf_types.hpp"
#include "messages/distribution_records.hpp"

namespace headroom::messages {

/// CAF 0.17 inspects caf::optional but not std::optional: this view makes a
/// std::optional field inspectable in place, with caf::optional's shape (a flag, then
/// the value when there is one).
template <class T>
struct optional_field {
  std::optional<T>& value;
};

template <class T>
struct optional_field_storage {
  bool& present;
  T& storage;
  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, optional_field_storage& x) {
    return x.present ? f(x.storage) : f();
  }
};

template <class Inspector, class T>
typename std::enable_if<Inspector::reads_state, typename Inspector::result_type>::type inspect(
    Inspector& f, optional_field<T>& x) {
  return x.value ? f(true, *x.value) : f(false);
}

template <class Inspector, class T>
typename std::enable_if<Inspector::writes_state, typename Inspector::result_type>::type inspect(
    Inspector& f, optional_field<T>& x) {
  bool present = false;
  T storage{};
  optional_field_storage<T> helper{present, storage};
  auto guard = caf::detail::make_scope_guard([&] {
    if (present)
      x.value = std::move(storage);
    else
      x.value.reset();
  });
  return f(present, helper);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, local_window_record& x) {
  return f(caf::meta::type_name("local_window_record"), x.from_minute, x.to_minute);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, customer_record& x) {
  return f(caf::meta::type_name("customer_record"), x.id, x.services, x.time_zone,
           x.maintenance_windows);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, device_record& x) {
  return f(caf::meta::type_name("device_record"), x.id, x.customer, x.model, x.mode, x.proxies);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, package_record& x) {
  return f(caf::meta::type_name("package_record"), x.id, x.version, x.size_bytes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, service_record& x) {
  optional_field<std::string> device{x.device};
  optional_field<std::string> customer{x.customer};
  return f(caf::meta::type_name("service_record"), device, customer, x.service, x.first_start,
           x.every_s, x.duration_s);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_record& x) {
  optional_field<utc_seconds> deadline{x.deadline};
  return f(caf::meta::type_name("job_record"), x.id, x.device, x.package, x.start, x.duration_s,
           deadline, x.priority, x.status, x.version, x.updated_at);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inventory& x) {
  return f(caf::meta::type_name("inventory"), x.customers, x.devices, x.packages, x.services);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, topology_proxy& x) {
  return f(caf::meta::type_name("topology_proxy"), x.id, x.capacity, x.threshold, x.devices);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, topology_record& x) {
  return f(caf::meta::type_name("topology_record"), x.proxies);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, move_record& x) {
  return f(caf::meta::type_name("move_record"), x.job, x.from, x.to, x.version);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, window_record& x) {
  return f(caf::meta::type_name("window_record"), x.start, x.end, x.peak, x.threshold, x.jobs);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, notification_record& x) {
  return f(caf::meta::type_name("notification_record"), x.detector, x.proxy, x.sent_at, x.windows,
           x.suggested_moves);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, adjustment_record& x) {
  return f(caf::meta::type_name("adjustment_record"), x.source, x.proxy, x.moves);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, move_result& x) {
  return f(caf::meta::type_name("move_result"), x.job, x.applied, x.status, x.detail);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, adjustment_outcome& x) {
  return f(caf::meta::type_name("adjustment_outcome"), x.results);
}

}  // namespace headroom::messages
