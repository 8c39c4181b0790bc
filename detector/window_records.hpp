#pragma once
// Overloaded windows as the distribution system receives them: jobs named by id, in id order.

#include <vector>

#include "distribution_api/records.hpp"
#include "domain/detection.hpp"

namespace headroom::detector {

std::vector<distribution_api::window_record> window_records(
    const domain::fleet& f, const std::vector<domain::overload_window>& windows);

}  // namespace headroom::detector
