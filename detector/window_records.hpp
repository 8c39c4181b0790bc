#pragma once
// Overloaded windows as the distribution system receives them: jobs named by id, in id order.

#include <vector>

#include "domain/detection.hpp"
#include "distribution_api/records.hpp"

namespace headroom::actors {

std::vector<messages::window_record> window_records(
    const domain::fleet& f, const std::vector<domain::overload_window>& windows);

}  // namespace headroom::actors
