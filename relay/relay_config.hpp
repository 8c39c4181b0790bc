#pragma once
// Everything `headroom relay` can be told, with its defaults in one place. Built once
// (config/relay.toml, then flags), validated, then shared immutably by every connection.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/expected.hpp"
#include "domain/monitoring_mode.hpp"
#include "relay/http_head.hpp"

namespace headroom::relay {

/// What happens to a device when the relay is full.
enum class on_full_policy { reject, queue };

struct relay_config {
  // -- the node
  std::string listen = "127.0.0.1:3128";  ///< Where devices connect (HOST:PORT, port 0: any).
  std::string admin = "127.0.0.1:9128";   ///< /metrics, /healthz, /status.
  std::string proxy_id = "proxy-1";
  std::string detector;          ///< Detector's ROUTER (tcp:// or ipc://); empty: standalone.
  std::string detector_pub;      ///< Detector's PUB; empty: tcp, the detector's port + 1.
  std::string node_id;           ///< This node's bus id; empty: the proxy_id.
  std::uint32_t io_threads = 1;  ///< Threads copying bytes (Asio).

  // -- admission
  std::uint32_t capacity = 100;              ///< Distinct devices relayed at once.
  std::uint32_t threshold = 0;               ///< Reported load threshold; 0: the capacity.
  std::uint32_t per_device_connections = 4;  ///< Connections one device may hold.
  on_full_policy on_full = on_full_policy::reject;
  std::uint32_t queue_limit = 1000;  ///< Connections waiting at most (queue mode).
  std::chrono::milliseconds queue_timeout{30'000};
  std::uint32_t retry_after_seconds = 30;  ///< Sent with every 503.

  // -- upstreams: HOST:PORT entries; nothing else is relayed
  std::vector<std::string> allow;

  // -- device identity
  bool auth = false;                               ///< Require Proxy-Authorization: Basic.
  std::map<std::string, std::string> credentials;  ///< device id -> password (auth = true).
  std::map<std::string, std::string> devices;      ///< client IP address -> device id.

  // -- devices, as reported to the detector
  domain::monitoring_mode default_mode =
      domain::monitoring_mode::proxy;                ///< Of devices in neither list below.
  std::vector<std::string> direct_devices;           ///< Devices in direct monitoring mode.
  std::vector<std::string> proxy_devices;            ///< Devices in proxy monitoring mode.
  std::map<std::string, std::string> device_models;  ///< device id -> model, for transfer times.

  // -- the bus (with `detector`)
  std::chrono::milliseconds heartbeat_interval{1'000};  ///< Heartbeat and load report period.
  std::chrono::milliseconds heartbeat_timeout{5'000};   ///< Detector silence before it is stale.
  std::uint32_t bus_buffer = 10'000;  ///< Events held while the detector is down (oldest dropped).
  std::string package_path = "/firmware/";  ///< URL path prefix naming the package of a download.
  std::string key_file;                     ///< CurveZMQ: this node's key pair (headroom keygen).
  std::string detector_key_file;            ///< CurveZMQ: the detector's public key.

  // -- hardening
  http_limits limits;
  std::chrono::milliseconds header_timeout{10'000};      ///< Whole head (slowloris: 408).
  std::chrono::milliseconds header_idle_timeout{5'000};  ///< Between bytes of a head.
  std::chrono::milliseconds keepalive_timeout{60'000};   ///< Idle between requests.
  std::chrono::milliseconds connect_timeout{5'000};      ///< Upstream connect (504).
  std::chrono::milliseconds response_timeout{60'000};    ///< Upstream response head (504).
  std::chrono::milliseconds idle_timeout{300'000};  ///< No byte either way in a body or tunnel.
  std::uint32_t max_connections = 16'000;           ///< Open device connections (file descriptors).

  // -- streaming
  std::uint32_t buffer_size = 64 * 1024;              ///< Per direction, allocated while active.
  std::uint64_t transfer_report_bytes = 1024 * 1024;  ///< Report transfers at least this large.
};

/// Checks ranges and entries; the error names the setting.
domain::expected<relay_config> validate(relay_config config);

/// Reads a TOML file over the defaults (unknown keys are errors: a typo must not silently
/// leave a default in place). The error names the file, the key and the line.
domain::expected<relay_config> load_relay_config(const std::string& path);

/// Parses `HOST:PORT` for listening; the error says what is wrong.
struct listen_address {
  std::string host;
  std::uint16_t port = 0;
};
domain::expected<listen_address> parse_listen_address(const std::string& text);

}  // namespace headroom::relay
