#include "distribution/app.hpp"

#include "distribution/auth.hpp"
#include "distribution/http/router.hpp"
#include "distribution/pages/pages.hpp"

namespace headroom::distribution {

std::unique_ptr<router> make_router(app_context& app) {
  auto r = std::make_unique<router>(app.config.max_body_bytes, app.counters);
  r->set_guard(make_access_guard(app));
  if (app.config.access_log) r->set_access_log(app.log);
  add_meta_routes(*r, app);
  add_fleet_routes(*r, app);
  add_inventory_routes(*r, app);
  add_job_routes(*r, app);
  add_event_routes(*r, app);
  add_firmware_routes(*r, app);
  add_auth_pages(*r, app);
  add_warning_pages(*r, app);
  add_schedule_pages(*r, app);
  add_history_pages(*r, app);
  return r;
}

}  // namespace headroom::distribution
