#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "domain/fleet.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

/// Every counted job's outcome, one JSON object a line, strategy by strategy:
/// {"strategy","job","planned","attempts","start","end","outcome"}; start and end are null
/// for a failed job. Written as it goes, so a million-job fleet needs no second copy.
void write_outcomes(const domain::fleet& fleet, const simulation_result& result, std::ostream& out);

/// Appends TEXT as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace headroom::sim
