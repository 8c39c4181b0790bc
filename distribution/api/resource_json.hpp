#pragma once
// The JSON shapes of the resources the API returns (docs/api.md).

#include <nlohmann/json.hpp>

#include "distribution/store/store.hpp"

namespace headroom::distribution {

nlohmann::json to_json(const json_row& r);
nlohmann::json to_json(const job_record& j);
nlohmann::json to_json(const device_record& d);
nlohmann::json to_json(const package_record& p);
nlohmann::json to_json(const topology_proxy& p);

/// A notification as listed: what the detector sent plus id, receipt and acknowledgement.
nlohmann::json notification_json(const event_record& e);

/// An adjustment as listed: who sent it, when, what was asked and what happened.
nlohmann::json adjustment_json(const event_record& e);

}  // namespace headroom::distribution
