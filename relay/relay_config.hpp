#pragma once
// Everything `headroom relay` can be told, with its defaults in one place. Built once
// (config/relay.toml, then flags), validated, then shared immutably by every connection.
// The sections of the file are those of config/relay.toml; errors name `section.key`.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bus/heartbeat.hpp"
#include "domain/expected.hpp"
#include "domain/monitoring_mode.hpp"
#include "relay/admission_config.hpp"
#include "relay/http_head.hpp"

namespace headroom::relay {

/// Defaults the node's actors share with the relay's configuration.
inline constexpr const char* default_proxy_id = "proxy-1";
inline constexpr std::uint32_t default_bus_buffer = 10'000;
inline constexpr const char* default_package_path = "/firmware/";

struct relay_config {
  // -- [relay]: the node
  std::string listen = "127.0.0.1:3128";  ///< Where devices connect (HOST:PORT, port 0: any).
  std::string admin = "127.0.0.1:9128";   ///< /metrics, /healthz, /status.
  std::string proxy_id = default_proxy_id;
  std::string detector;          ///< Detector's ROUTER (tcp:// or ipc://); empty: standalone.
  std::string detector_pub;      ///< Detector's PUB; empty: tcp, the detector's port + 1.
  std::string node_id;           ///< This node's bus id; empty: the proxy_id.
  std::uint32_t io_threads = 1;  ///< Threads copying bytes (Asio).

  // -- [admission]: the node agent's
  admission_config admission;

  // -- [upstreams]: HOST:PORT entries; nothing else is relayed
  std::vector<std::string> allow;

  // -- [identity]: device identity
  bool auth = false;                               ///< Require Proxy-Authorization: Basic.
  std::map<std::string, std::string> credentials;  ///< device id -> password (auth = true).
  std::map<std::string, std::string> devices;      ///< client IP address -> device id.

  // -- [devices]: as reported to the detector
  domain::monitoring_mode default_mode =
      domain::monitoring_mode::proxy;                ///< Of devices in neither list below.
  std::vector<std::string> direct_devices;           ///< Devices in direct monitoring mode.
  std::vector<std::string> proxy_devices;            ///< Devices in proxy monitoring mode.
  std::map<std::string, std::string> device_models;  ///< device id -> model, for transfer times.

  // -- [bus] (with `detector`)
  std::chrono::milliseconds heartbeat_interval =
      bus::default_heartbeat_interval;  ///< Heartbeat and load report period.
  std::chrono::milliseconds heartbeat_timeout =
      bus::default_heartbeat_timeout;  ///< Detector silence before it is stale.
  std::uint32_t bus_buffer =
      default_bus_buffer;  ///< Events kept until the detector acks them (oldest dropped).
  /// Where those events are kept across restarts (NODE_ID.spool); empty: in memory only.
  std::string spool_dir = "data/relay";
  std::string package_path =
      default_package_path;       ///< URL path prefix naming a download's package.
  std::string key_file;           ///< CurveZMQ: this node's key pair (headroom keygen).
  std::string detector_key_file;  ///< CurveZMQ: the detector's public key.

  // -- [limits]: hardening
  http_limits limits;
  std::chrono::milliseconds header_timeout{10'000};      ///< Whole head (slowloris: 408).
  std::chrono::milliseconds header_idle_timeout{5'000};  ///< Between bytes of a head.
  std::chrono::milliseconds keepalive_timeout{60'000};   ///< Idle between requests.
  std::chrono::milliseconds connect_timeout{5'000};      ///< Upstream connect (504).
  std::chrono::milliseconds response_timeout{60'000};    ///< Upstream response head (504).
  std::chrono::milliseconds idle_timeout{300'000};  ///< No byte either way in a body or tunnel.
  std::uint32_t max_connections = 16'000;           ///< Open device connections (file descriptors).

  // -- [limits]: streaming
  std::uint32_t buffer_size = 64 * 1024;              ///< Per direction, allocated while active.
  std::uint64_t transfer_report_bytes = 1024 * 1024;  ///< Report transfers at least this large.
};

/// Checks ranges and entries and fills the settings left to be derived (the threshold,
/// detector_pub, node_id); the error names the setting.
domain::expected<relay_config> validate(relay_config config);

/// Reads a TOML file over the defaults, not yet validated (flags may still change it).
/// The error names the key, the file and the line.
domain::expected<relay_config> read_relay_config(const std::string& path);
/// The same from TEXT, the contents of a file named SOURCE (for the fuzz target).
domain::expected<relay_config> read_relay_config_text(std::string_view text,
                                                      const std::string& source);

/// A file alone: read, then validated.
domain::expected<relay_config> load_relay_config(const std::string& path);

}  // namespace headroom::relay
