#pragma once
// Everything a live run talks to, started in this process on 127.0.0.1: the reference
// distribution system with a fleet imported and a synthetic image per package, the
// detector, and one real `headroom relay` node per proxy with the fleet's capacity and
// threshold, each reporting to the detector over the bus (tcp on loopback, as between
// hosts). One process so that a run starts and stops as one, and its ports are all free
// ones chosen by the kernel; the cluster test runs the same roles as processes.

#include <caf/actor_system.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "actors/detector/detector_config.hpp"
#include "domain/expected.hpp"
#include "domain/fleet.hpp"
#include "domain/wall_clock.hpp"
#include "sim/live/live_rollout.hpp"

namespace headroom::distribution {
class distribution_service;
}
namespace headroom::detector {
class detector_node;
}
namespace headroom::relay {
class relay_node;
}

namespace headroom::sim {

struct live_rig_config {
  std::string data_dir;                ///< The distribution store and the detector's outbox.
  std::string listen = "127.0.0.1:0";  ///< The distribution system's address.
  detector::detector_mode mode = detector::detector_mode::warn;
  std::chrono::milliseconds fetch_interval{1000};  ///< The detector's.
  std::chrono::milliseconds heartbeat_interval{1000};
  std::int64_t image_bytes = 256 * 1024;  ///< Of each package's synthetic image.
  std::string api_token;                  ///< Empty: generated.
  std::string display_time_zone = "UTC";  ///< Of the distribution system's pages.
};

class live_rig {
 public:
  /// Starts everything or nothing. `f` is imported as is: its times are real ones.
  static domain::expected<std::unique_ptr<live_rig>> start(const domain::fleet& f,
                                                           const live_rig_config& config,
                                                           domain::wall_clock clock);
  ~live_rig();
  live_rig(const live_rig&) = delete;
  live_rig& operator=(const live_rig&) = delete;

  [[nodiscard]] const live_addresses& addresses() const { return addresses_; }
  [[nodiscard]] const std::map<std::string, live_image>& images() const { return images_; }
  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] const std::string& api_token() const;
  [[nodiscard]] std::uint16_t detector_status_port() const;
  /// Each relay's admin endpoint (/status, /metrics), by proxy index.
  [[nodiscard]] const std::vector<live_endpoint>& relay_admins() const { return admins_; }
  [[nodiscard]] distribution::distribution_service& distribution() { return *service_; }

  /// Stops the relays, the detector and the distribution system, in that order.
  void stop();

 private:
  live_rig();

  std::unique_ptr<distribution::distribution_service> service_;
  std::unique_ptr<caf::actor_system_config> actor_config_;
  std::unique_ptr<caf::actor_system> system_;
  std::unique_ptr<zmq::context_t> context_;
  std::unique_ptr<detector::detector_node> detector_;
  std::vector<std::unique_ptr<relay::relay_node>> relays_;
  live_addresses addresses_;
  std::vector<live_endpoint> admins_;
  std::map<std::string, live_image> images_;
  std::string url_;
  bool stopped_ = false;
};

}  // namespace headroom::sim
