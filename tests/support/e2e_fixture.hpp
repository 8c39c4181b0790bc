#pragma once
// The whole detector path on 127.0.0.1, in one test process: the reference distribution
// system with a generated fleet imported, a detector, and one stand-in node per proxy on
// the bus over tcp://127.0.0.1. Everything runs on real time (sockets, threads), so
// every wait is bounded.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "actors/detector/detector_node.hpp"
#include "actors/type_registry.hpp"
#include "distribution/service.hpp"
#include "distribution_api/records.hpp"
#include "domain/fleet.hpp"
#include "tests/support/eventually.hpp"

namespace headroom::test {

using windows_by_proxy = std::map<std::string, std::vector<distribution_api::window_record>>;

struct detector_actor_config : caf::actor_system_config {
  detector_actor_config() {
    set("logger.verbosity", caf::atom("quiet"));
    set("scheduler.max-threads", 2);
    actors::register_types(*this);
  }
};

class e2e_fixture {
 public:
  e2e_fixture();
  ~e2e_fixture();

  domain::fleet fleet;
  /// What `headroom check` finds on the fleet: the windows of every proxy that has any.
  windows_by_proxy expected;

  /// Starts the distribution system (again on the same port after a stop).
  void start_distribution();
  void stop_distribution();
  distribution::distribution_service& distribution() { return *service_; }

  /// Starts a detector (again on the same bus endpoints and data dir after a stop).
  void start_detector(detector::detector_mode mode);
  void stop_detector();
  detector::detector_node& detector() { return *detector_; }

  /// Starts one stand-in node per proxy of the fleet.
  void start_nodes();

  /// The detector's open windows, from its status report.
  windows_by_proxy detector_windows();

  /// Every notification the distribution system holds for `proxy`, oldest first: its windows.
  std::vector<std::vector<distribution_api::window_record>> notifications(const std::string& proxy);

  /// How many adjustments the distribution system has recorded.
  std::int64_t adjustments();

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<distribution::distribution_service> service_;
  detector_actor_config actor_config_;
  std::unique_ptr<caf::actor_system> system_;
  zmq::context_t context_;
  std::unique_ptr<detector::detector_node> detector_;
  std::string router_endpoint_ = "tcp://127.0.0.1:*";
  std::string pub_endpoint_ = "tcp://127.0.0.1:*";
  std::vector<caf::actor> nodes_;
};

}  // namespace headroom::test
