#pragma once
// Renders the node agent's status and the live traffic counters for the admin
// endpoint: Prometheus text exposition (/metrics) and JSON (/status).

#include <string>

#include "relay/relay_context.hpp"
#include "relay/relay_values.hpp"

namespace headroom::relay {

std::string render_metrics(const relay::relay_status& status, const relay_traffic& traffic);

std::string render_status_json(const relay::relay_status& status, const relay_traffic& traffic);

}  // namespace headroom::relay
