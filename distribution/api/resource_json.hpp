#pragma once
// The JSON of what only this server lists, which no client in this repository reads, so it
// is written here rather than in distribution_api/: the history of notifications and
// adjustments (the documents as received, with what the server adds) and the proxies'
// summary. The documents clients read are distribution_api/json.hpp's.

#include <string>

#include "distribution/store/store.hpp"

namespace headroom::distribution {

/// A notification as listed: what the detector sent plus id, receipt and acknowledgement.
std::string notification_json(const event_record& e);

/// An adjustment as listed: who sent it, when, what was asked and what happened.
std::string adjustment_json(const event_record& e);

/// A proxy as `GET /api/v1/proxies` lists it: its limits and how many devices it has seen.
std::string proxy_summary_json(const distribution_api::topology_proxy& p);

}  // namespace headroom::distribution
