#include "distribution/config.hpp"

#include <arpa/inet.h>

#include "common/host_port.hpp"
#include "common/toml_reader.hpp"
#include "domain/maintenance.hpp"

namespace headroom::distribution {

namespace {

bool valid_ip_address(const std::string& text) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

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
  server.read("trusted_proxies", c.trusted_proxies);
  server.read("idempotency_key_hours", c.idempotency_key_hours);
  server.read("access_log", c.access_log);
  file.section("store").read("data_dir", c.data_dir);
  auto auth = file.section("auth");
  auth.read("api_token", c.api_token);
  auth.read("session_hours", c.session_hours);
  auth.read("secure_cookies", c.secure_cookies);
  auth.read("login_failures_per_account", c.login_failures_per_account);
  auth.read("login_failures_per_address", c.login_failures_per_address);
  auth.read("login_window_seconds", c.login_window_seconds);
  auth.read("login_tracked_keys", c.login_tracked_keys);
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
  if (c.login_failures_per_account < 1 || c.login_failures_per_account > 1000)
    return error{"auth.login_failures_per_account", "must be from 1 to 1000"};
  if (c.login_failures_per_address < 1 || c.login_failures_per_address > 100'000)
    return error{"auth.login_failures_per_address", "must be from 1 to 100000"};
  if (c.login_window_seconds < 1 || c.login_window_seconds > 86'400)
    return error{"auth.login_window_seconds", "must be from 1 to 86400 (a day)"};
  // Bounds the limiter's memory: an entry is a name or an address and a few numbers.
  if (c.login_tracked_keys < 10 || c.login_tracked_keys > 1'000'000)
    return error{"auth.login_tracked_keys", "must be from 10 to 1000000"};
  for (const auto& proxy : c.trusted_proxies)
    if (!valid_ip_address(proxy))
      return error{"server.trusted_proxies", "'" + proxy + "' is not an IP address"};
  if (c.idempotency_key_hours < 1 || c.idempotency_key_hours > 24 * 365)
    return error{"server.idempotency_key_hours", "must be from 1 to 8760 (a year)"};
  if (!c.api_token.empty() && c.api_token.size() < 16)
    return error{"auth.api_token", "must be at least 16 characters"};
  // An unknown zone would otherwise show every time in UTC without a word.
  if (!domain::time_zone_exists(c.display_time_zone))
    return error{"pages.display_time_zone", "'" + c.display_time_zone +
                                                "' is not a time zone of this machine's IANA "
                                                "database (e.g. Europe/Paris, UTC)"};
  return c;
}

}  // namespace headroom::distribution
