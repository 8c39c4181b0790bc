#pragma once
// The node registry: which proxy nodes announced themselves on the bus, which proxies
// they relay for (capacity, threshold), which devices each saw and in which monitoring
// mode, and which nodes are stale. It publishes the proxies and their devices to the
// schedule fetcher, debounced so that a burst of announcements makes one rebuild.
//
// After a restart it publishes nothing — so nothing is detected or notified — until every
// node the previous run knew has announced itself again, or `settle_timeout` has passed:
// a proxy judged on part of its devices would get lower or missing windows that the
// next announcement takes back (a flap on the operator's screen).

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "actors/detector/interfaces.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

struct node_registry_config {
  /// How long the registry waits after a change for more before publishing.
  caf::timespan publish_delay = std::chrono::milliseconds{200};
  /// The proxy ids this detector owns ([detection] proxies); empty: every proxy. A node
  /// announcing any other proxy is refused (counted, logged once) and its devices are
  /// ignored, so that this detector never detects or notifies for a proxy another owns.
  std::vector<std::string> proxies;
  /// Logs refusals and the settle step (optional; standard error when empty).
  std::function<void(const std::string&)> log;
  /// The nodes the previous run knew ([detector] data_dir/known_nodes.sqlite3), awaited
  /// before the first publication.
  std::set<std::string> known_nodes;
  /// The longest wait for them ([detection] settle_ms); those still missing then are
  /// logged and forgotten.
  caf::timespan settle_timeout = std::chrono::seconds{10};
  /// Keeps the nodes known for the next restart: called with all of them whenever a node
  /// is heard for the first time or forgotten (optional).
  std::function<void(const std::set<std::string>&)> remember;
};

/// The registry's own handlers beyond its interface: the debounce and settle timers.
using node_registry_impl =
    node_registry_actor::extend<caf::reacts_to<atom::publish>, caf::reacts_to<atom::settle>>;

struct node_registry_state {
  node_registry_state() = default;
  static constexpr const char* name = "node-registry";

  struct node {
    messages::node_hello hello;
    messages::node_heartbeat load;
    bool live = true;
    /// Per proxy: the devices seen behind it and their monitoring mode.
    std::map<std::string, std::map<std::string, domain::monitoring_mode>> devices;
    std::uint64_t session_events = 0;
  };

  node_registry_config config;
  std::set<std::string, std::less<>> owned;  ///< config.proxies; empty: every proxy.
  schedule_fetcher_actor fetcher;
  std::map<std::string, node> nodes;
  /// Nodes that announced a proxy not owned here, with what they announced.
  std::map<std::string, std::vector<std::string>> refused;
  std::uint64_t refused_announcements = 0;
  topology_view published;
  std::int64_t published_devices = 0;  ///< Distinct devices in `published`.
  bool publish_pending = false;
  /// Known nodes not heard from since the start; nothing is published while `settling`.
  std::set<std::string> awaited;
  bool settling = false;
  std::set<std::string> remembered;  ///< What `config.remember` is given.
  /// `remembered` changed since `config.remember` was last called: it is called with the
  /// next publication, once for a burst of new nodes (a fleet's start announces hundreds).
  bool remember_pending = false;
  std::uint64_t observed_durations = 0;
};

/// The proxies and devices the live and stale nodes announced: a proxy's capacity and
/// threshold are those of the live node that announced it last (stale ones if none is
/// live); devices in direct mode are left out (they load no proxy).
topology_view topology_of(const std::map<std::string, node_registry_state::node>& nodes);

/// Checks the settings (owned proxy ids are non-empty and listed once); the error names
/// the setting.
domain::expected<node_registry_config> validate(node_registry_config config);

/// Validates the settings and spawns the registry, which publishes to `fetcher`.
caf::expected<node_registry_actor> spawn_node_registry(caf::actor_system& system,
                                                       node_registry_config config,
                                                       schedule_fetcher_actor fetcher);

node_registry_impl::behavior_type node_registry(
    node_registry_impl::stateful_pointer<node_registry_state> self, node_registry_config config,
    schedule_fetcher_actor fetcher);

}  // namespace headroom::detector
