#pragma once
// CAF announcements of the distribution system's records (distribution_api/records.hpp),
// so that the detector's actors can exchange them as typed messages. Records with
// std::optional fields (which CAF 0.17 cannot inspect) are allowed as in-process
// messages only: they never leave the detector's actor system.

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/meta/type_name.hpp>

#include "distribution_api/records.hpp"
#include "messages/caf_types.hpp"

namespace headroom::distribution_api {

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
  return f(caf::meta::type_name("move_result"), x.job, x.applied, x.status, x.detail, x.from, x.to,
           x.version);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, adjustment_outcome& x) {
  return f(caf::meta::type_name("adjustment_outcome"), x.results);
}

}  // namespace headroom::distribution_api

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::distribution_api::service_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::distribution_api::job_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<headroom::distribution_api::job_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(headroom::distribution_api::inventory)
