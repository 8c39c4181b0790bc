#pragma once
// The detector's report as its admin endpoint serves it: /status (JSON) and /metrics
// (the Prometheus text format).

#include <string>

#include "detector/detector_values.hpp"

namespace headroom::detector {

/// /status as JSON.
std::string render_status_json(const detector_report& report);

/// /metrics in the Prometheus text format.
std::string render_metrics(const detector_report& report);

}  // namespace headroom::detector
