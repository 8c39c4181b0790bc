#pragma once

#include <string_view>

namespace headroom::distribution {

/// distribution_api/openapi.json, compiled in (generated from the file at configure time).
std::string_view openapi_document();

}  // namespace headroom::distribution
