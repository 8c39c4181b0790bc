#pragma once
// The values a proxy node's relay exchanges between its actors: admission decisions,
// the end-of-session report, refusals and the status snapshot the admin endpoint and
// the bus adapter read. Plain structs with `inspect` so CAF can carry them;
// fields are only ever appended.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace headroom::relay {

/// Why the relay refused a connection or a request; one counter per value.
enum class refusal_reason : std::uint8_t {
  capacity,          ///< `capacity` distinct devices already relayed (503).
  device_limit,      ///< The device already holds `per_device_connections` (503).
  queue_full,        ///< on_full = queue, but the queue is at its bound (503).
  queue_timeout,     ///< Waited in the queue longer than queue_timeout (503).
  malformed,         ///< Unparseable or smuggling-shaped request (400).
  too_large,         ///< Request line or headers over their limits (431).
  header_timeout,    ///< Headers not complete in time: slowloris (408).
  forbidden,         ///< Target not in the allowlist or an address refused (403).
  unauthorized,      ///< Proxy credentials missing or wrong (407).
  upstream_failed,   ///< Upstream unreachable or broke the protocol (502).
  upstream_timeout,  ///< Upstream connect or response head too slow (504).
};
inline constexpr std::size_t refusal_reason_count = 11;

/// The Prometheus label of a refusal reason.
constexpr const char* to_label(refusal_reason reason) {
  switch (reason) {
    case refusal_reason::capacity:
      return "capacity";
    case refusal_reason::device_limit:
      return "device_limit";
    case refusal_reason::queue_full:
      return "queue_full";
    case refusal_reason::queue_timeout:
      return "queue_timeout";
    case refusal_reason::malformed:
      return "malformed";
    case refusal_reason::too_large:
      return "too_large";
    case refusal_reason::header_timeout:
      return "header_timeout";
    case refusal_reason::forbidden:
      return "forbidden";
    case refusal_reason::unauthorized:
      return "unauthorized";
    case refusal_reason::upstream_failed:
      return "upstream_failed";
    case refusal_reason::upstream_timeout:
      return "upstream_timeout";
  }
  return "unknown";
}

/// For CAF's rendering of messages.
inline std::string to_string(refusal_reason reason) { return to_label(reason); }

/// The node agent's answer to a session asking to relay for a device.
struct admission {
  bool admitted = false;
  refusal_reason reason = refusal_reason::capacity;  ///< Meaningful when refused.
  std::uint32_t retry_after_seconds = 0;             ///< For the 503's Retry-After.
  bool waited = false;                               ///< Admitted after queueing.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, admission& x) {
  return f(x.admitted, x.reason, x.retry_after_seconds, x.waited);
}

/// One relayed transfer large enough to tell the detector how long downloads take.
struct transfer_record {
  std::string method;
  std::string url;  ///< Absolute URL, or `host:port` for a tunnel.
  std::uint16_t status = 0;
  std::uint64_t bytes = 0;       ///< Body bytes in the larger direction.
  std::int64_t duration_ms = 0;  ///< From request head to end of body.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transfer_record& x) {
  return f(x.method, x.url, x.status, x.bytes, x.duration_ms);
}

/// What a connection moved before it closed (reported by the Asio side).
struct connection_totals {
  std::uint64_t bytes_from_device = 0;
  std::uint64_t bytes_to_device = 0;
  std::uint32_t requests = 0;  ///< Requests and tunnels relayed.
  std::vector<transfer_record> transfers;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, connection_totals& x) {
  return f(x.bytes_from_device, x.bytes_to_device, x.requests, x.transfers);
}

/// The end-of-session report a session actor sends its node agent.
struct session_report {
  std::uint64_t session_id = 0;
  std::string device_id;  ///< Empty when the connection never identified itself.
  std::string client_address;
  bool admitted = false;
  std::int64_t opened_ms = 0;  ///< On the actor clock, since its epoch.
  std::int64_t duration_ms = 0;
  connection_totals totals;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_report& x) {
  return f(x.session_id, x.device_id, x.client_address, x.admitted, x.opened_ms, x.duration_ms,
           x.totals);
}

/// A refusal as the node agent counts and forwards it.
struct refusal {
  refusal_reason reason = refusal_reason::malformed;
  std::string device_id;  ///< Empty when the refusal came before identification.
  std::string client_address;
  std::string detail;  ///< What was wrong, for the log.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, refusal& x) {
  return f(x.reason, x.device_id, x.client_address, x.detail);
}

/// A device the node relayed for the first time since the agent started.
struct device_first_seen {
  std::string device_id;
  std::string client_address;
  std::int64_t first_seen_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, device_first_seen& x) {
  return f(x.device_id, x.client_address, x.first_seen_ms);
}

/// Upper bounds (seconds) of the session-duration histogram buckets; +Inf is implicit.
inline constexpr std::array<double, 12> session_duration_buckets{0.01, 0.05, 0.1, 0.5, 1,    5,
                                                                 10,   30,   60,  300, 1800, 3600};

/// One device currently relayed, for /status.
struct active_device {
  std::string device_id;
  std::uint32_t connections = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, active_device& x) {
  return f(x.device_id, x.connections);
}

/// The node's link to the detector over the bus, for /status and /metrics.
struct detector_link {
  std::string state = "standalone";  ///< "standalone", "connecting", "connected" or "stale".
  std::string endpoint;              ///< The detector's ROUTER.
  std::string instance_id;           ///< The detector instance that registered this node.
  std::uint64_t announcements = 0;   ///< Hellos this node sent (1 + re-announcements).
  std::uint64_t held = 0;            ///< Events held now, waiting for the detector.
  std::uint64_t dropped = 0;         ///< Oldest held events dropped for the bound.
  std::uint64_t bus_dropped = 0;     ///< Frames the bus dropped at its high-water marks.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, detector_link& x) {
  return f(x.state, x.endpoint, x.instance_id, x.announcements, x.held, x.dropped, x.bus_dropped);
}

/// The node agent's counters and live load.
struct relay_status {
  std::string proxy_id;
  std::uint32_t capacity = 0;
  std::uint32_t threshold = 0;
  std::uint32_t active_devices = 0;
  std::uint32_t active_connections = 0;  ///< Admitted connections open now.
  std::uint32_t queued = 0;              ///< Connections waiting in the queue now.
  std::uint64_t admitted_total = 0;
  std::uint64_t queued_total = 0;
  std::uint64_t sessions_total = 0;  ///< Sessions ended (admitted or not).
  std::uint64_t devices_seen = 0;
  std::vector<std::uint64_t> refused_total;  ///< Indexed by refusal_reason.
  std::uint64_t bytes_from_devices = 0;      ///< Of ended sessions.
  std::uint64_t bytes_to_devices = 0;
  /// Durations of ended admitted sessions: cumulative counts per session_duration_buckets,
  /// then the +Inf bucket (the count).
  std::vector<std::uint64_t> duration_buckets;
  double duration_sum_seconds = 0;
  std::vector<active_device> devices;
  detector_link detector;  ///< Filled in by the relay node, not the agent.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, relay_status& x) {
  return f(x.proxy_id, x.capacity, x.threshold, x.active_devices, x.active_connections, x.queued,
           x.admitted_total, x.queued_total, x.sessions_total, x.devices_seen, x.refused_total,
           x.bytes_from_devices, x.bytes_to_devices, x.duration_buckets, x.duration_sum_seconds,
           x.devices, x.detector);
}

}  // namespace headroom::relay
