#pragma once
// The values the detector's actors exchange among themselves (never on the wire).

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/stats.hpp"
#include "distribution_api/records.hpp"
#include "domain/counting.hpp"
#include "domain/fleet.hpp"
#include "domain/sub_fleet.hpp"

namespace headroom::detector {

/// A proxy as the nodes announced it, with the devices seen behind it.
struct proxy_view {
  std::string id;
  std::int32_t capacity = 0;
  std::int32_t threshold = 0;
  std::vector<std::string> devices;  ///< Sorted, unique.
  std::vector<std::string> nodes;    ///< The nodes relaying for it.
  bool stale = false;                ///< Every node relaying for it is stale.
  friend bool operator==(const proxy_view&, const proxy_view&) = default;
};

/// The node registry's picture of the proxies, sorted by id.
struct topology_view {
  std::vector<proxy_view> proxies;
  friend bool operator==(const topology_view&, const topology_view&) = default;
};

/// What the load detectors work on: the fetched schedule of the relayed devices under
/// contract, as a domain fleet. Job indices are stable between an incremental model and
/// the one before it (jobs are only appended; a job that stops loading keeps its index
/// with job_counts 0), so a load detector can apply `changed_jobs` alone.
struct detector_model {
  domain::fleet fleet;  ///< Horizon set; proxies from the topology; relayed devices only.
  domain::counting counting;
  std::vector<std::int64_t> job_versions;  ///< By job index: what a move must quote.
  std::uint64_t generation = 0;
  bool full = true;                           ///< Rebuild: topology, inventory or horizon changed.
  std::vector<domain::index_t> changed_jobs;  ///< When not full: jobs changed or appended.
  domain::instant fetched_at = 0;
  /// Who loads each proxy, for the adjuster's cuts; shared by the increments that append no
  /// job. Built on demand when absent.
  std::shared_ptr<const domain::neighbourhoods> neighbourhoods;
};
using model_ptr = std::shared_ptr<const detector_model>;

/// A proxy's current overloaded windows.
struct proxy_windows {
  std::string proxy;
  model_ptr model;  ///< The model the windows were found on.
  std::vector<distribution_api::window_record> windows;
};

/// Every proxy whose windows one model changed, from a load detector to the adjuster in one
/// message, so that the adjuster plans them together: plans made apart on the same model
/// would each count on room the others take (a chained device's job sits in the windows of
/// its local and its regional proxy).
struct windows_batch {
  std::vector<proxy_windows> proxies;  ///< Each on the same model, each proxy once.
};

/// The schedule fetcher's state for /status.
struct fetch_status {
  domain::instant last_attempt = 0;
  domain::instant last_success = 0;  ///< 0: never.
  std::string last_error;            ///< Empty after a success.
  std::string circuit = "closed";    ///< closed | open | half-open.
  std::uint64_t fetches = 0;
  std::uint64_t failures = 0;
  std::uint64_t generation = 0;  ///< Of the model last published.
  std::int64_t devices = 0;      ///< Relayed devices under a contract with distribution.
  std::int64_t jobs = 0;         ///< Jobs that load a proxy.
  bool stale_snapshot = false;   ///< The last fetch failed; detection uses the last good one.
};

/// A proxy as /status shows it: its devices counted, not listed.
struct proxy_summary {
  std::string id;
  std::int32_t capacity = 0;
  std::int32_t threshold = 0;
  std::int64_t devices = 0;
  std::vector<std::string> nodes;
  bool stale = false;
};

/// The node registry's state for /status.
struct registry_status {
  std::int32_t nodes_live = 0;
  std::int32_t nodes_stale = 0;
  /// The devices and proxies last handed to detection (at most the publish delay old).
  /// Summaries, not the topology: /status is polled, and copying 100,000 device names for
  /// each poll cost the registry more than answering it.
  std::int64_t devices = 0;
  std::vector<proxy_summary> proxies;
  /// Nodes refused for announcing a proxy this detector does not own ([detection] proxies),
  /// with the proxies they announced; their devices and sessions are ignored.
  std::map<std::string, std::vector<std::string>> refused_nodes;
  std::uint64_t refused_announcements = 0;  ///< Hellos and device lists ignored, in total.
};

/// A load detector's open windows, by proxy id.
struct detector_windows {
  std::map<std::string, std::vector<distribution_api::window_record>> by_proxy;
};

/// One notification or adjustment waiting in the notifier's outbox.
struct outbox_entry {
  std::int64_t seq = 0;  ///< Delivery order.
  std::string proxy;
  std::string kind;             ///< "notification" | "adjustment".
  std::string idempotency_key;  ///< Sent as Idempotency-Key; stable across restarts.
  std::string body;             ///< The JSON request body.
  friend bool operator==(const outbox_entry&, const outbox_entry&) = default;
};

/// The notifier's state for /status and /metrics.
struct outbox_status {
  std::int64_t depth = 0;  ///< Entries not yet delivered.
  std::uint64_t delivered = 0;
  std::uint64_t failures = 0;
  std::string last_error;
  std::uint64_t dropped =
      0;  ///< Refused permanently by the distribution system (4xx), not retried.
  std::uint64_t unchanged = 0;  ///< Notifications not sent: the proxy's latest one said the same.
};

/// Everything /status and /metrics show.
struct detector_report {
  std::string detector_id;
  std::string mode;
  domain::instant started_at = 0;
  std::optional<registry_status> registry;
  std::optional<fetch_status> fetch;
  std::optional<detector_windows> windows;  ///< Every shard's, merged.
  std::optional<outbox_status> outbox;
  std::optional<bus::bridge_stats> bus;
  std::vector<std::string> missing;  ///< Parts that did not answer in time.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, proxy_view& x) {
  return f(caf::meta::type_name("proxy_view"), x.id, x.capacity, x.threshold, x.devices, x.nodes,
           x.stale);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, topology_view& x) {
  return f(caf::meta::type_name("topology_view"), x.proxies);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, proxy_summary& x) {
  return f(caf::meta::type_name("proxy_summary"), x.id, x.capacity, x.threshold, x.devices, x.nodes,
           x.stale);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_status& x) {
  return f(caf::meta::type_name("fetch_status"), x.last_attempt, x.last_success, x.last_error,
           x.circuit, x.fetches, x.failures, x.generation, x.devices, x.jobs, x.stale_snapshot);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registry_status& x) {
  return f(caf::meta::type_name("registry_status"), x.nodes_live, x.nodes_stale, x.devices,
           x.proxies, x.refused_nodes, x.refused_announcements);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, detector_windows& x) {
  return f(caf::meta::type_name("detector_windows"), x.by_proxy);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, outbox_entry& x) {
  return f(caf::meta::type_name("outbox_entry"), x.seq, x.proxy, x.kind, x.idempotency_key, x.body);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, outbox_status& x) {
  return f(caf::meta::type_name("outbox_status"), x.depth, x.delivered, x.failures, x.last_error,
           x.dropped, x.unchanged);
}

}  // namespace headroom::detector
