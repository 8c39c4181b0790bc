#pragma once
// JSON text written directly, byte for byte as nlohmann::json::dump writes it: the
// documents a detector's start writes by the thousand (job, device and service pages, the
// notifications) are written without building a DOM. Internal to distribution_api.
#include <string>
#include <string_view>
#include <vector>

namespace headroom::distribution_api {

/// Appends `text` as a JSON string, escaped as nlohmann::json::dump escapes it. Text with
/// bytes beyond ASCII goes through nlohmann itself, which also refuses invalid UTF-8.
void append_string(std::string& out, std::string_view text);

/// Appends `texts` as a JSON array of strings.
void append_strings(std::string& out, const std::vector<std::string>& texts);

}  // namespace headroom::distribution_api
