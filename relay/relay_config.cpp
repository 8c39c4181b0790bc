#include "relay/relay_config.hpp"

#include <filesystem>
#include <set>

#include "bus/endpoints.hpp"
#include "bus/heartbeat.hpp"
#include "common/host_port.hpp"
#include "common/toml_reader.hpp"
#include "relay/address_classifier.hpp"
#include "relay/allowlist.hpp"

namespace headroom::relay {
namespace {

using domain::error;

constexpr std::array<common::choice<domain::monitoring_mode>, 2> monitoring_modes{
    {{"proxy", domain::monitoring_mode::proxy}, {"direct", domain::monitoring_mode::direct}}};

// A HOST:PORT to listen on: the host must be an IP address (no name is resolved).
std::optional<error> check_listen(const char* setting, const std::string& text) {
  auto address = common::parse_host_port(text);
  if (!address) return domain::nest(setting, address.failure());
  boost::asio::ip::address ignored;
  if (!parse_canonical_ip(address->host, ignored))
    return error{setting, "'" + address->host + "' in '" + text + "' is not an IP address"};
  return std::nullopt;
}

// The bus settings; fills in the PUB endpoint and the node id when left to their defaults.
std::optional<error> validate_bus(relay_config& c) {
  if (c.node_id.empty()) c.node_id = c.proxy_id;
  if (auto e = bus::check_heartbeat(c.heartbeat_interval, c.heartbeat_timeout,
                                    "bus.heartbeat_interval_ms", "bus.heartbeat_timeout_ms"))
    return e;
  if (c.bus_buffer < 1) return error{"bus.buffer", "must be at least 1"};
  if (std::error_code ec; !c.spool_dir.empty() && std::filesystem::exists(c.spool_dir, ec) &&
                          !std::filesystem::is_directory(c.spool_dir, ec))
    return error{"bus.spool_dir", "'" + c.spool_dir + "' exists and is not a directory"};
  if (c.package_path.empty() || c.package_path.front() != '/' || c.package_path.back() != '/')
    return error{"bus.package_path", "must start and end with '/', like \"/firmware/\""};
  if (c.key_file.empty() != c.detector_key_file.empty())
    return error{c.key_file.empty() ? "bus.key_file" : "bus.detector_key_file",
                 "CurveZMQ needs both key_file and detector_key_file"};
  if (c.detector.empty()) {
    if (!c.detector_pub.empty()) return error{"relay.detector_pub", "is set but detector is not"};
    return std::nullopt;
  }
  if (auto e = bus::check_connect_endpoint(c.detector)) return domain::nest("relay.detector", *e);
  if (c.detector_pub.empty()) {
    auto pub = bus::pub_endpoint_beside(c.detector, "detector");
    if (!pub) return domain::nest("relay.detector_pub", pub.failure());
    c.detector_pub = *pub;
  }
  if (auto e = bus::check_connect_endpoint(c.detector_pub))
    return domain::nest("relay.detector_pub", *e);
  if (c.detector_pub == c.detector) return error{"relay.detector_pub", "must differ from detector"};
  return std::nullopt;
}

std::optional<error> validate_devices(const relay_config& c) {
  std::set<std::string> direct;
  for (const auto& device : c.direct_devices) {
    if (device.empty()) return error{"devices.direct", "names an empty device id"};
    direct.insert(device);
  }
  for (const auto& device : c.proxy_devices) {
    if (device.empty()) return error{"devices.proxy", "names an empty device id"};
    if (direct.count(device))
      return error{"devices.proxy", "'" + device + "' is also listed as direct"};
  }
  for (const auto& [device, model] : c.device_models)
    if (model.empty()) return error{"devices.models." + device, "names an empty model"};
  return std::nullopt;
}

std::optional<error> validate_identity(const relay_config& c) {
  if (c.auth && c.credentials.empty())
    return error{"identity.credentials", "auth is on but no device credentials are configured"};
  for (const auto& [address, device] : c.devices) {
    boost::asio::ip::address ignored;
    if (!parse_canonical_ip(address, ignored))
      return error{"identity.devices." + address, "is not a canonical IP address"};
    if (device.empty()) return error{"identity.devices." + address, "names an empty device id"};
  }
  return std::nullopt;
}

std::optional<error> validate_limits(const relay_config& c) {
  if (c.limits.max_request_line < 64)
    return error{"limits.max_request_line", "must be at least 64"};
  if (c.limits.max_head_bytes < c.limits.max_request_line)
    return error{"limits.max_head_bytes", "must be at least max_request_line"};
  if (c.limits.max_headers < 1) return error{"limits.max_headers", "must be at least 1"};
  for (auto [name, value] : {std::pair{"limits.header_timeout_ms", c.header_timeout},
                             {"limits.header_idle_timeout_ms", c.header_idle_timeout},
                             {"limits.keepalive_timeout_ms", c.keepalive_timeout},
                             {"limits.connect_timeout_ms", c.connect_timeout},
                             {"limits.response_timeout_ms", c.response_timeout},
                             {"limits.idle_timeout_ms", c.idle_timeout}})
    if (value.count() <= 0) return error{name, "must be positive"};
  if (c.max_connections < 1) return error{"limits.max_connections", "must be at least 1"};
  if (c.buffer_size < 1024 || c.buffer_size > 16 * 1024 * 1024)
    return error{"limits.buffer_size", "must be 1 KiB..16 MiB"};
  return std::nullopt;
}

// The file's settings, section by section; a key the file lacks keeps the default in C.
void read_sections(common::toml_reader& file, relay_config& c) {
  auto relay = file.section("relay");
  relay.read("listen", c.listen);
  relay.read("admin", c.admin);
  relay.read("proxy_id", c.proxy_id);
  relay.read("detector", c.detector);
  relay.read("detector_pub", c.detector_pub);
  relay.read("node_id", c.node_id);
  relay.read("io_threads", c.io_threads);
  auto admission = file.section("admission");
  admission.read("capacity", c.admission.capacity);
  admission.read("threshold", c.admission.threshold);
  admission.read("per_device_connections", c.admission.per_device_connections);
  admission.choose("on_full", c.admission.on_full, on_full_policies);
  admission.read("queue_limit", c.admission.queue_limit);
  admission.read("queue_timeout_ms", c.admission.queue_timeout);
  admission.read("retry_after_seconds", c.admission.retry_after_seconds);
  file.section("upstreams").read("allow", c.allow);
  auto identity = file.section("identity");
  identity.read("auth", c.auth);
  identity.read("credentials", c.credentials);
  identity.read("devices", c.devices);
  auto devices = file.section("devices");
  devices.choose("mode", c.default_mode, monitoring_modes);
  devices.read("direct", c.direct_devices);
  devices.read("proxy", c.proxy_devices);
  devices.read("models", c.device_models);
  auto bus = file.section("bus");
  bus.read("heartbeat_interval_ms", c.heartbeat_interval);
  bus.read("heartbeat_timeout_ms", c.heartbeat_timeout);
  bus.read("buffer", c.bus_buffer);
  bus.read("spool_dir", c.spool_dir);
  bus.read("package_path", c.package_path);
  bus.read("key_file", c.key_file);
  bus.read("detector_key_file", c.detector_key_file);
  auto limits = file.section("limits");
  limits.read("max_request_line", c.limits.max_request_line);
  limits.read("max_head_bytes", c.limits.max_head_bytes);
  limits.read("max_headers", c.limits.max_headers);
  limits.read("header_timeout_ms", c.header_timeout);
  limits.read("header_idle_timeout_ms", c.header_idle_timeout);
  limits.read("keepalive_timeout_ms", c.keepalive_timeout);
  limits.read("connect_timeout_ms", c.connect_timeout);
  limits.read("response_timeout_ms", c.response_timeout);
  limits.read("idle_timeout_ms", c.idle_timeout);
  limits.read("max_connections", c.max_connections);
  limits.read("buffer_size", c.buffer_size);
  limits.read("transfer_report_bytes", c.transfer_report_bytes);
}

}  // namespace

domain::expected<relay_config> validate(relay_config c) {
  if (auto e = check_listen("relay.listen", c.listen)) return *e;
  if (auto e = check_listen("relay.admin", c.admin)) return *e;
  if (c.proxy_id.empty()) return error{"relay.proxy_id", "must not be empty"};
  if (auto e = validate_bus(c)) return *e;
  if (auto e = validate_devices(c)) return *e;
  if (c.io_threads < 1 || c.io_threads > 64) return error{"relay.io_threads", "must be 1..64"};
  auto admission = validate(c.admission);
  if (!admission) return admission.failure();
  c.admission = *admission;
  if (auto list = allowlist::parse(c.allow); !list)
    return domain::nest("upstreams", list.failure());
  if (auto e = validate_identity(c)) return *e;
  if (auto e = validate_limits(c)) return *e;
  return c;
}

domain::expected<relay_config> read_relay_config(const std::string& path) {
  return common::read_toml_file<relay_config>(path, "relay", read_sections);
}

domain::expected<relay_config> read_relay_config_text(std::string_view text,
                                                      const std::string& source) {
  return common::read_toml_text<relay_config>(text, source, "relay", read_sections);
}

domain::expected<relay_config> load_relay_config(const std::string& path) {
  auto config = read_relay_config(path);
  if (!config) return config;
  return validate(std::move(*config));
}

}  // namespace headroom::relay
