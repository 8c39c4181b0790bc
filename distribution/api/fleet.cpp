// PUT /api/v1/fleet imports a fleet file whole; GET exports it in the same format.
#include "distribution/app.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "formats/fleet_reader.hpp"
#include "formats/fleet_writer.hpp"

namespace headroom::distribution {

void add_fleet_routes(router& r, app_context& app) {
  r.add({http::verb::put, "/api/v1/fleet", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto fleet = formats::parse_fleet(req.body());
           if (!fleet) return problem_response(invalid(fleet.failure()));
           if (auto stored = app.data.replace_fleet(*fleet, app.now()); !stored)
             return problem_response(stored.failure());
           return json_response(http::status::ok, {{"customers", fleet->customers.size()},
                                                   {"proxies", fleet->proxies.size()},
                                                   {"devices", fleet->devices.size()},
                                                   {"packages", fleet->packages.size()},
                                                   {"jobs", fleet->jobs.size()},
                                                   {"services", fleet->services.size()}});
         },
         app.config.max_fleet_bytes});
  r.add({http::verb::get, "/api/v1/fleet", access::token,
         [&app](const http_request&, request_context&) -> http_response {
           auto fleet = app.data.export_fleet();
           if (!fleet) return problem_response(fleet.failure());
           http_response res{http::status::ok, 11};
           res.set(http::field::content_type, "application/json");
           res.body() = formats::fleet_to_json(*fleet);
           return res;
         }});
}

}  // namespace headroom::distribution
