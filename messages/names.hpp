#pragma once

// The wire spelling of enumerations and type codes, shared by the codec and logs.

#include <optional>
#include <string_view>

#include "distribution_api/records.hpp"
#include "messages/types.hpp"

namespace headroom::messages {

std::optional<monitoring_mode> parse_monitoring_mode(std::string_view text);
std::optional<session_outcome> parse_session_outcome(std::string_view text);
std::optional<job_status> parse_job_status(std::string_view text);

}  // namespace headroom::messages
