#include "distribution/config.hpp"

#include <toml++/toml.h>

#include <set>

namespace headroom::distribution {
namespace {

failure bad(std::string key, std::string detail) {
  return {failure_kind::invalid, std::move(key), std::move(detail)};
}

/// Copies `table.key` into `out` when present; a value of the wrong type is a failure.
template <class T>
std::optional<failure> take(const toml::table& table, const std::string& prefix, const char* key,
                            T& out) {
  const auto* node = table.get(key);
  if (!node) return std::nullopt;
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node->value<std::string>()) {
      out = *v;
      return std::nullopt;
    }
    return bad(prefix + key, "expected a string");
  } else {
    if (auto v = node->value<std::int64_t>()) {
      out = static_cast<T>(*v);
      return std::nullopt;
    }
    return bad(prefix + key, "expected an integer");
  }
}

std::optional<failure> unknown_keys(const toml::table& table, const std::string& prefix,
                                    const std::set<std::string>& known) {
  for (const auto& [key, value] : table)
    if (!known.count(std::string(key.str())))
      return bad(prefix + std::string(key.str()), "unknown key");
  return std::nullopt;
}

}  // namespace

domain::expected<distribution_config, failure> load_config_file(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return failure{failure_kind::invalid,
                   path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column),
                   std::string(e.description())};
  }
  distribution_config c;
  if (auto f = unknown_keys(root, "", {"server", "store", "auth", "pages"})) return *f;
  const auto section = [&](const char* name) -> const toml::table* {
    const auto* node = root.get(name);
    return node ? node->as_table() : nullptr;
  };
  if (const auto* s = section("server")) {
    if (auto f = unknown_keys(*s, "server.",
                              {"listen", "threads", "max_body_bytes", "max_fleet_bytes",
                               "max_firmware_bytes", "page_size", "max_page_size"}))
      return *f;
    for (auto f :
         {take(*s, "server.", "listen", c.listen), take(*s, "server.", "threads", c.threads),
          take(*s, "server.", "max_body_bytes", c.max_body_bytes),
          take(*s, "server.", "max_fleet_bytes", c.max_fleet_bytes),
          take(*s, "server.", "max_firmware_bytes", c.max_firmware_bytes),
          take(*s, "server.", "page_size", c.page_size),
          take(*s, "server.", "max_page_size", c.max_page_size)})
      if (f) return *f;
  }
  if (const auto* s = section("store")) {
    if (auto f = unknown_keys(*s, "store.", {"data_dir"})) return *f;
    if (auto f = take(*s, "store.", "data_dir", c.data_dir)) return *f;
  }
  if (const auto* s = section("auth")) {
    if (auto f = unknown_keys(*s, "auth.", {"api_token", "session_hours"})) return *f;
    if (auto f = take(*s, "auth.", "api_token", c.api_token)) return *f;
    if (auto f = take(*s, "auth.", "session_hours", c.session_hours)) return *f;
  }
  if (const auto* s = section("pages")) {
    if (auto f = unknown_keys(*s, "pages.", {"display_time_zone"})) return *f;
    if (auto f = take(*s, "pages.", "display_time_zone", c.display_time_zone)) return *f;
  }
  return c;
}

domain::expected<endpoint_spec, failure> parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return bad("listen", "expected host:port, got '" + text + "'");
  endpoint_spec e;
  e.host = text.substr(0, colon);
  if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']')
    e.host = e.host.substr(1, e.host.size() - 2);
  const auto port_text = text.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos)
    return bad("listen", "port must be a number from 0 to 65535, got '" + port_text + "'");
  const auto port = std::stoi(port_text);
  if (port > 65535)
    return bad("listen", "port must be a number from 0 to 65535, got '" + port_text + "'");
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

std::optional<failure> validate(const distribution_config& c) {
  if (auto e = parse_listen(c.listen); !e) return e.failure();
  if (c.data_dir.empty()) return bad("store.data_dir", "must not be empty");
  if (c.threads < 1 || c.threads > 256) return bad("server.threads", "must be from 1 to 256");
  if (c.max_body_bytes < 1024) return bad("server.max_body_bytes", "must be at least 1024");
  if (c.max_fleet_bytes < c.max_body_bytes)
    return bad("server.max_fleet_bytes", "must be at least max_body_bytes");
  if (c.max_firmware_bytes < 1) return bad("server.max_firmware_bytes", "must be positive");
  if (c.page_size < 1 || c.page_size > c.max_page_size)
    return bad("server.page_size", "must be from 1 to max_page_size");
  if (c.session_hours < 1) return bad("auth.session_hours", "must be at least 1");
  if (!c.api_token.empty() && c.api_token.size() < 16)
    return bad("auth.api_token", "must be at least 16 characters");
  return std::nullopt;
}

}  // namespace headroom::distribution
