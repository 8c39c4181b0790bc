#include "distribution/config.hpp"

#include "common/host_port.hpp"
#include "common/toml_reader.hpp"

namespace headroom::distribution {

namespace {

// The file's settings, section by section; a key the file lacks keeps the default in C.
void read_sections(common::toml_reader& file, distribution_config& c) {
  auto server = file.section("server");
  server.read("listen", c.listen);
  server.read("threads", c.threads);
  server.read("max_body_bytes", c.max_body_bytes);
  server.read("max_fleet_bytes", c.max_fleet_bytes);
  server.read("max_firmware_bytes", c.max_firmware_bytes);
  server.read("page_size", c.page_size);
  server.read("max_page_size", c.max_page_size);
  file.section("store").read("data_dir", c.data_dir);
  auto auth = file.section("auth");
  auth.read("api_token", c.api_token);
  auth.read("session_hours", c.session_hours);
  file.section("pages").read("display_time_zone", c.display_time_zone);
}

}  // namespace

domain::expected<distribution_config> read_distribution_config(const std::string& path) {
  return common::read_toml_file<distribution_config>(path, "distribution", read_sections);
}

domain::expected<distribution_config> read_distribution_config_text(std::string_view text,
                                                                    const std::string& source) {
  return common::read_toml_text<distribution_config>(text, source, "distribution", read_sections);
}

domain::expected<distribution_config> validate(distribution_config c) {
  using domain::error;
  if (auto e = common::parse_host_port(c.listen); !e) return domain::nest("listen", e.failure());
  if (c.data_dir.empty()) return error{"store.data_dir", "must not be empty"};
  if (c.threads < 1 || c.threads > 256) return error{"server.threads", "must be from 1 to 256"};
  if (c.max_body_bytes < 1024) return error{"server.max_body_bytes", "must be at least 1024"};
  if (c.max_fleet_bytes < c.max_body_bytes)
    return error{"server.max_fleet_bytes", "must be at least max_body_bytes"};
  if (c.max_firmware_bytes < 1) return error{"server.max_firmware_bytes", "must be positive"};
  // A page is one answer held in memory: bounded like the bodies.
  if (c.max_page_size < 1 || c.max_page_size > 100'000)
    return error{"server.max_page_size", "must be from 1 to 100000"};
  if (c.page_size < 1 || c.page_size > c.max_page_size)
    return error{"server.page_size", "must be from 1 to max_page_size"};
  // Sessions are stamped in seconds as an int: a year keeps far from its end.
  if (c.session_hours < 1 || c.session_hours > 8760)
    return error{"auth.session_hours", "must be from 1 to 8760 (a year)"};
  if (!c.api_token.empty() && c.api_token.size() < 16)
    return error{"auth.api_token", "must be at least 16 characters"};
  return c;
}

}  // namespace headroom::distribution
