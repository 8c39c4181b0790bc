#pragma once

// The wire spelling of enumerations and type codes, shared by the codec and logs.

#include <optional>
#include <string_view>

#include "messages/types.hpp"

namespace headroom::messages {

std::optional<session_outcome> parse_session_outcome(std::string_view text);

}  // namespace headroom::messages
