#include "relay/relay_config.hpp"

#include <toml++/toml.h>

#include <functional>
#include <set>

#include "relay/address_classifier.hpp"
#include "relay/allowlist.hpp"

namespace headroom::relay {
namespace {

using domain::error;

std::string at_line(const toml::node& node) {
  return " (line " + std::to_string(node.source().begin.line) + ")";
}

// Reads one key into `out` if present; reports a wrong type with the key and line.
template <class T, class U>
std::optional<error> read(const toml::table& table, const std::string& section, const char* key,
                          U& out) {
  const auto* node = table.get(key);
  if (!node) return std::nullopt;
  auto value = node->value<T>();
  if (!value) return error{section + "." + key, "has the wrong type" + at_line(*node)};
  if constexpr (std::is_unsigned_v<U> && !std::is_same_v<U, bool>) {
    if (*value < 0 || static_cast<std::uint64_t>(*value) > std::numeric_limits<U>::max())
      return error{section + "." + key, "is out of range" + at_line(*node)};
  }
  out = static_cast<U>(*value);
  return std::nullopt;
}

std::optional<error> read_ms(const toml::table& table, const std::string& section, const char* key,
                             std::chrono::milliseconds& out) {
  std::int64_t ms = out.count();
  if (auto e = read<std::int64_t>(table, section, key, ms)) return e;
  out = std::chrono::milliseconds{ms};
  return std::nullopt;
}

std::optional<error> read_strings(const toml::table& table, const std::string& section,
                                  const char* key, std::vector<std::string>& out) {
  const auto* node = table.get(key);
  if (!node) return std::nullopt;
  const auto* array = node->as_array();
  if (!array) return error{section + "." + key, "must be an array of strings" + at_line(*node)};
  out.clear();
  for (const auto& item : *array) {
    auto s = item.value<std::string>();
    if (!s) return error{section + "." + key, "must be an array of strings" + at_line(item)};
    out.push_back(*s);
  }
  return std::nullopt;
}

std::optional<error> read_map(const toml::table& table, const std::string& section, const char* key,
                              std::map<std::string, std::string>& out) {
  const auto* node = table.get(key);
  if (!node) return std::nullopt;
  const auto* inner = node->as_table();
  if (!inner) return error{section + "." + key, "must be a table of strings" + at_line(*node)};
  out.clear();
  for (const auto& [k, v] : *inner) {
    auto s = v.value<std::string>();
    if (!s)
      return error{section + "." + key + "." + std::string(k.str()),
                   "must be a string" + at_line(v)};
    out.emplace(std::string(k.str()), *s);
  }
  return std::nullopt;
}

std::optional<error> unknown_keys(const toml::table& table, const std::string& section,
                                  const std::set<std::string>& known) {
  for (const auto& [k, v] : table)
    if (!known.count(std::string(k.str())))
      return error{section.empty() ? std::string(k.str()) : section + "." + std::string(k.str()),
                   "is not a relay setting" + at_line(v)};
  return std::nullopt;
}

error in_file(const std::string& path, error e) {
  e.where = e.where.empty() ? path : path + ": " + e.where;
  return e;
}

using section_reader = std::function<std::optional<error>(const toml::table&, const std::string&)>;

std::optional<error> apply(const toml::table& root, relay_config& c) {
  const std::map<std::string, std::pair<std::set<std::string>, section_reader>> sections{
      {"relay",
       {{"listen", "admin", "proxy_id", "detector", "detector_pub", "node_id", "io_threads"},
        [&](const toml::table& t, const std::string& s) -> std::optional<error> {
          if (auto e = read<std::string>(t, s, "listen", c.listen)) return e;
          if (auto e = read<std::string>(t, s, "admin", c.admin)) return e;
          if (auto e = read<std::string>(t, s, "proxy_id", c.proxy_id)) return e;
          if (auto e = read<std::string>(t, s, "detector", c.detector)) return e;
          if (auto e = read<std::string>(t, s, "detector_pub", c.detector_pub)) return e;
          if (auto e = read<std::string>(t, s, "node_id", c.node_id)) return e;
          return read<std::int64_t>(t, s, "io_threads", c.io_threads);
        }}},
      {"admission",
       {{"capacity", "threshold", "per_device_connections", "on_full", "queue_limit",
         "queue_timeout_ms", "retry_after_seconds"},
        [&](const toml::table& t, const std::string& s) -> std::optional<error> {
          if (auto e = read<std::int64_t>(t, s, "capacity", c.capacity)) return e;
          if (auto e = read<std::int64_t>(t, s, "threshold", c.threshold)) return e;
          if (auto e = read<std::int64_t>(t, s, "per_device_connections", c.per_device_connections))
            return e;
          std::string on_full = c.on_full == on_full_policy::queue ? "queue" : "reject";
          if (auto e = read<std::string>(t, s, "on_full", on_full)) return e;
          if (on_full != "reject" && on_full != "queue")
            return error{s + ".on_full",
                         "must be \"reject\" or \"queue\", not \"" + on_full + "\""};
          c.on_full = on_full == "queue" ? on_full_policy::queue : on_full_policy::reject;
          if (auto e = read<std::int64_t>(t, s, "queue_limit", c.queue_limit)) return e;
          if (auto e = read_ms(t, s, "queue_timeout_ms", c.queue_timeout)) return e;
          return read<std::int64_t>(t, s, "retry_after_seconds", c.retry_after_seconds);
        }}},
      {"upstreams",
       {{"allow"},
        [&](const toml::table& t, const std::string& s) {
          return read_strings(t, s, "allow", c.allow);
        }}},
      {"identity",
       {{"auth", "credentials", "devices"},
        [&](const toml::table& t, const std::string& s) -> std::optional<error> {
          if (auto e = read<bool>(t, s, "auth", c.auth)) return e;
          if (auto e = read_map(t, s, "credentials", c.credentials)) return e;
          return read_map(t, s, "devices", c.devices);
        }}},
      {"devices",
       {{"mode", "direct", "proxy", "models"},
        [&](const toml::table& t, const std::string& s) -> std::optional<error> {
          std::string mode = c.default_mode == domain::monitoring_mode::direct ? "direct" : "proxy";
          if (auto e = read<std::string>(t, s, "mode", mode)) return e;
          if (mode != "proxy" && mode != "direct")
            return error{s + ".mode", "must be \"proxy\" or \"direct\", not \"" + mode + "\""};
          c.default_mode =
              mode == "direct" ? domain::monitoring_mode::direct : domain::monitoring_mode::proxy;
          if (auto e = read_strings(t, s, "direct", c.direct_devices)) return e;
          if (auto e = read_strings(t, s, "proxy", c.proxy_devices)) return e;
          return read_map(t, s, "models", c.device_models);
        }}},
      {"bus",
       {{"heartbeat_interval_ms", "heartbeat_timeout_ms", "buffer", "package_path", "key_file",
         "detector_key_file"},
        [&](const toml::table& t, const std::string& s) -> std::optional<error> {
          if (auto e = read_ms(t, s, "heartbeat_interval_ms", c.heartbeat_interval)) return e;
          if (auto e = read_ms(t, s, "heartbeat_timeout_ms", c.heartbeat_timeout)) return e;
          if (auto e = read<std::int64_t>(t, s, "buffer", c.bus_buffer)) return e;
          if (auto e = read<std::string>(t, s, "package_path", c.package_path)) return e;
          if (auto e = read<std::string>(t, s, "key_file", c.key_file)) return e;
          return read<std::string>(t, s, "detector_key_file", c.detector_key_file);
        }}},
      {"limits",
       {{"max_request_line", "max_head_bytes", "max_headers", "header_timeout_ms",
         "header_idle_timeout_ms", "keepalive_timeout_ms", "connect_timeout_ms",
         "response_timeout_ms", "idle_timeout_ms", "max_connections", "buffer_size",
         "transfer_report_bytes"},
        [&](const toml::table& t, const std::string& s) -> std::optional<error> {
          if (auto e = read<std::int64_t>(t, s, "max_request_line", c.limits.max_request_line))
            return e;
          if (auto e = read<std::int64_t>(t, s, "max_head_bytes", c.limits.max_head_bytes))
            return e;
          if (auto e = read<std::int64_t>(t, s, "max_headers", c.limits.max_headers)) return e;
          if (auto e = read_ms(t, s, "header_timeout_ms", c.header_timeout)) return e;
          if (auto e = read_ms(t, s, "header_idle_timeout_ms", c.header_idle_timeout)) return e;
          if (auto e = read_ms(t, s, "keepalive_timeout_ms", c.keepalive_timeout)) return e;
          if (auto e = read_ms(t, s, "connect_timeout_ms", c.connect_timeout)) return e;
          if (auto e = read_ms(t, s, "response_timeout_ms", c.response_timeout)) return e;
          if (auto e = read_ms(t, s, "idle_timeout_ms", c.idle_timeout)) return e;
          if (auto e = read<std::int64_t>(t, s, "max_connections", c.max_connections)) return e;
          if (auto e = read<std::int64_t>(t, s, "buffer_size", c.buffer_size)) return e;
          return read<std::int64_t>(t, s, "transfer_report_bytes", c.transfer_report_bytes);
        }}},
  };
  for (const auto& [name, node] : root) {
    auto it = sections.find(std::string(name.str()));
    if (it == sections.end())
      return error{std::string(name.str()), "is not a relay section" + at_line(node)};
    const auto* table = node.as_table();
    if (!table) return error{std::string(name.str()), "must be a table" + at_line(node)};
    if (auto e = unknown_keys(*table, it->first, it->second.first)) return e;
    if (auto e = it->second.second(*table, it->first)) return e;
  }
  return std::nullopt;
}

// The port of `tcp://HOST:PORT`, or why it is not one.
domain::expected<std::uint16_t> tcp_port(const std::string& endpoint) {
  auto rest = endpoint.substr(6);
  auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return error{"", "'" + endpoint + "' is not tcp://HOST:PORT"};
  auto port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) < 1 ||
      std::stoul(port) > 65535)
    return error{"", "port '" + port + "' in '" + endpoint + "' is not 1..65535"};
  return static_cast<std::uint16_t>(std::stoul(port));
}

// A detector endpoint a node can connect to: tcp://HOST:PORT or ipc://PATH.
std::optional<error> check_endpoint(const char* key, const std::string& endpoint) {
  if (endpoint.rfind("tcp://", 0) == 0) {
    if (auto port = tcp_port(endpoint); !port) return domain::nest(key, port.failure());
    return std::nullopt;
  }
  if (endpoint.rfind("ipc://", 0) == 0 && endpoint.size() > 6) return std::nullopt;
  return error{key, "'" + endpoint + "' is not a tcp://HOST:PORT or ipc://PATH endpoint"};
}

// The bus settings; fills in the PUB endpoint and the node id when left to their defaults.
std::optional<error> validate_bus(relay_config& c) {
  if (c.node_id.empty()) c.node_id = c.proxy_id;
  if (c.heartbeat_interval.count() <= 0) return error{"heartbeat_interval", "must be positive"};
  if (c.heartbeat_timeout <= c.heartbeat_interval)
    return error{"heartbeat_timeout", "must be longer than heartbeat_interval"};
  if (c.bus_buffer < 1) return error{"buffer", "must be at least 1"};
  if (c.package_path.empty() || c.package_path.front() != '/' || c.package_path.back() != '/')
    return error{"package_path", "must start and end with '/', like \"/firmware/\""};
  if (c.key_file.empty() != c.detector_key_file.empty())
    return error{c.key_file.empty() ? "key_file" : "detector_key_file",
                 "CurveZMQ needs both key_file and detector_key_file"};
  if (c.detector.empty()) {
    if (!c.detector_pub.empty()) return error{"detector_pub", "is set but detector is not"};
    return std::nullopt;
  }
  if (auto e = check_endpoint("detector", c.detector)) return e;
  if (c.detector_pub.empty()) {
    if (c.detector.rfind("ipc://", 0) == 0)
      return error{"detector_pub", "must be given with an ipc:// detector"};
    auto port = *tcp_port(c.detector);
    if (port == 65535) return error{"detector_pub", "must be given: the detector's port is 65535"};
    c.detector_pub = c.detector.substr(0, c.detector.rfind(':') + 1) + std::to_string(port + 1);
  }
  if (auto e = check_endpoint("detector_pub", c.detector_pub)) return e;
  if (c.detector_pub == c.detector) return error{"detector_pub", "must differ from detector"};
  return std::nullopt;
}

std::optional<error> validate_devices(const relay_config& c) {
  std::set<std::string> direct;
  for (const auto& device : c.direct_devices) {
    if (device.empty()) return error{"direct", "names an empty device id"};
    direct.insert(device);
  }
  for (const auto& device : c.proxy_devices) {
    if (device.empty()) return error{"proxy", "names an empty device id"};
    if (direct.count(device)) return error{"proxy", "'" + device + "' is also listed as direct"};
  }
  for (const auto& [device, model] : c.device_models)
    if (model.empty()) return error{"models." + device, "names an empty model"};
  return std::nullopt;
}

}  // namespace

domain::expected<listen_address> parse_listen_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return error{"", "'" + text + "' is not HOST:PORT"};
  listen_address out;
  out.host = text.substr(0, colon);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  boost::asio::ip::address ignored;
  if (!parse_canonical_ip(out.host, ignored))
    return error{"", "'" + out.host + "' in '" + text + "' is not an IP address"};
  auto port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
    return error{"", "port '" + port + "' in '" + text + "' is not 0..65535"};
  out.port = static_cast<std::uint16_t>(std::stoul(port));
  return out;
}

domain::expected<relay_config> validate(relay_config c) {
  if (auto l = parse_listen_address(c.listen); !l) return domain::nest("listen", l.failure());
  if (auto a = parse_listen_address(c.admin); !a) return domain::nest("admin", a.failure());
  if (c.proxy_id.empty()) return error{"proxy_id", "must not be empty"};
  if (auto e = validate_bus(c)) return *e;
  if (auto e = validate_devices(c)) return *e;
  if (c.io_threads < 1 || c.io_threads > 64) return error{"io_threads", "must be 1..64"};
  if (c.capacity < 1) return error{"capacity", "must be at least 1"};
  if (c.threshold == 0) c.threshold = c.capacity;
  if (c.threshold > c.capacity)
    return error{"threshold", "must be 1..capacity (" + std::to_string(c.capacity) + ")"};
  if (c.per_device_connections < 1) return error{"per_device_connections", "must be at least 1"};
  if (c.on_full == on_full_policy::queue && c.queue_limit < 1)
    return error{"queue_limit", "must be at least 1 when on_full = \"queue\""};
  if (c.queue_timeout.count() <= 0) return error{"queue_timeout", "must be positive"};
  if (auto list = allowlist::parse(c.allow); !list) return list.failure();
  if (c.auth && c.credentials.empty())
    return error{"credentials", "auth is on but no device credentials are configured"};
  for (const auto& [address, device] : c.devices) {
    boost::asio::ip::address ignored;
    if (!parse_canonical_ip(address, ignored))
      return error{"devices." + address, "is not a canonical IP address"};
    if (device.empty()) return error{"devices." + address, "names an empty device id"};
  }
  if (c.limits.max_request_line < 64) return error{"max_request_line", "must be at least 64"};
  if (c.limits.max_head_bytes < c.limits.max_request_line)
    return error{"max_head_bytes", "must be at least max_request_line"};
  if (c.limits.max_headers < 1) return error{"max_headers", "must be at least 1"};
  for (auto [name, value] : {std::pair{"header_timeout", c.header_timeout},
                             {"header_idle_timeout", c.header_idle_timeout},
                             {"keepalive_timeout", c.keepalive_timeout},
                             {"connect_timeout", c.connect_timeout},
                             {"response_timeout", c.response_timeout},
                             {"idle_timeout", c.idle_timeout}})
    if (value.count() <= 0) return error{name, "must be positive"};
  if (c.max_connections < 1) return error{"max_connections", "must be at least 1"};
  if (c.buffer_size < 1024 || c.buffer_size > 16 * 1024 * 1024)
    return error{"buffer_size", "must be 1 KiB..16 MiB"};
  return c;
}

domain::expected<relay_config> load_relay_config(const std::string& path) {
  relay_config config;
  try {
    auto root = toml::parse_file(path);
    if (auto e = apply(root, config)) return in_file(path, *e);
  } catch (const toml::parse_error& e) {
    return error{path + ":" + std::to_string(e.source().begin.line), std::string(e.description())};
  }
  auto valid = validate(std::move(config));
  if (!valid) return in_file(path, valid.failure());
  return valid;
}

}  // namespace headroom::relay
