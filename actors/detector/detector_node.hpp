#pragma once
// The detector as one unit (issue 5): the bus hub, the node registry, the distribution
// client, the schedule fetcher, the load detectors, the adjuster, the notifier and the
// status endpoint, wired from one detector_config. `headroom detector` runs one;
// `headroom demo` and the end-to-end tests run one inside their own process.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "actors/detector/detector_config.hpp"
#include "actors/detector/interfaces.hpp"
#include "detector/status_endpoint.hpp"
#include "domain/wall_clock.hpp"

namespace headroom::detector {

class detector_node {
 public:
  /// Validates, opens the outbox, binds the bus and the status endpoint, and spawns
  /// every actor. `clock` is the wall clock for timestamps and the rolling
  /// horizon. The error names the setting.
  static caf::expected<std::unique_ptr<detector_node>> start(caf::actor_system& system,
                                                             zmq::context_t& context,
                                                             const detector_config& config,
                                                             domain::wall_clock clock);
  ~detector_node();
  detector_node(const detector_node&) = delete;
  detector_node& operator=(const detector_node&) = delete;

  [[nodiscard]] const std::string& router_endpoint() const { return router_endpoint_; }
  [[nodiscard]] const std::string& pub_endpoint() const { return pub_endpoint_; }
  [[nodiscard]] std::uint16_t status_port() const { return endpoint_->port(); }

  /// The current report (what /status shows), or nullopt when it did not come in time.
  std::optional<detector_report> report(caf::timespan timeout = std::chrono::seconds{5});

  /// The node registry: what announcements from the bus reach (benchmarks announce here).
  [[nodiscard]] const node_registry_actor& registry() const { return registry_; }

  /// Asks the fetcher to fetch now.
  void fetch_now();

  /// Stops the endpoint and every actor. Idempotent.
  void stop();

 private:
  explicit detector_node(caf::actor_system& system) : system_(system) {}

  caf::actor_system& system_;
  std::vector<caf::actor> actors_;  ///< Every actor spawned, stopped in reverse order.
  schedule_fetcher_actor fetcher_;
  node_registry_actor registry_;
  status_reporter_actor reporter_;
  std::unique_ptr<status_endpoint> endpoint_;
  std::string router_endpoint_;
  std::string pub_endpoint_;
};

}  // namespace headroom::detector
