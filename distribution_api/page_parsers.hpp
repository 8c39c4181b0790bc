#pragma once
// The two parsers of the list pages (json.hpp's read_*_page use both). Internal to
// distribution_api; the tests hold the two to each other.
//
// simdjson's is several times faster on the hundreds of pages a detector reads at its
// start, but takes only the pages it reads exactly as nlohmann's would: well-formed, no
// escapes, no repeated keys, integers within 64 bits, shallow. It hands every other page,
// and so every malformed one, to nlohmann's, whose reading and errors are the definition.
#include <optional>
#include <string_view>

#include "distribution_api/json.hpp"

namespace headroom::distribution_api {

/// The page as nlohmann's parser and field_reader would read it, or none where they might
/// read it otherwise or refuse it (simdjson_pages.cpp).
std::optional<page_of<device_record>> simdjson_devices_page(std::string_view body);
std::optional<page_of<package_record>> simdjson_packages_page(std::string_view body);
std::optional<page_of<service_record>> simdjson_services_page(std::string_view body);
std::optional<page_of<job_record>> simdjson_jobs_page(std::string_view body);

/// The page read by nlohmann's parser and field_reader (json_lists.cpp).
domain::expected<page_of<device_record>> nlohmann_devices_page(std::string_view body);
domain::expected<page_of<package_record>> nlohmann_packages_page(std::string_view body);
domain::expected<page_of<service_record>> nlohmann_services_page(std::string_view body);
domain::expected<page_of<job_record>> nlohmann_jobs_page(std::string_view body);

}  // namespace headroom::distribution_api
