#pragma once

#include <functional>
#include <memory>
#include <string>

#include "distribution/config.hpp"
#include "distribution/http/metrics.hpp"
#include "distribution/login_limiter.hpp"
#include "distribution/service.hpp"
#include "distribution/store/store.hpp"
#include "domain/wall_clock.hpp"

namespace headroom::distribution {

class router;

/// What every handler shares: read-only configuration, the store, counters, the clock.
struct app_context {
  const distribution_config& config;
  store& data;
  metrics& counters;
  std::string api_token;
  std::string firmware_dir;  ///< Where uploaded package images live.
  domain::wall_clock clock;  ///< Injected: tests and the demo set it.
  log_sink log;              ///< Never given a secret (see log_sink).
  login_limiter logins;      ///< Failed logins per operator and per address.

  /// Whole wall-clock seconds: what the store stamps.
  [[nodiscard]] instant now() const { return clock.seconds(); }
};

/// Every route of the distribution system: the machine API, firmware, and the pages.
std::unique_ptr<router> make_router(app_context& app);

// The route groups, one file each.
void add_fleet_routes(router& r, app_context& app);
void add_inventory_routes(router& r, app_context& app);
void add_job_routes(router& r, app_context& app);
void add_event_routes(router& r, app_context& app);
void add_firmware_routes(router& r, app_context& app);
void add_meta_routes(router& r, app_context& app);

}  // namespace headroom::distribution
