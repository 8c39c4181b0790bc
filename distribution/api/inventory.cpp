// Customers, devices, proxies, the topology a detector reports, service schedules, packages.
#include "distribution/api/paging.hpp"
#include "distribution/api/resource_json.hpp"
#include "distribution/app.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"
#include "distribution_api/json.hpp"

namespace headroom::distribution {

void add_inventory_routes(router& r, app_context& app) {
  r.add({http::verb::get, "/api/v1/customers", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.customers(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return list_response(
               *rows, [](const auto& c) { return distribution_api::write_customer(c.record); });
         }});
  r.add({http::verb::get, "/api/v1/devices", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(
                   ctx.where, {"customer", "model", "monitoring_mode", "cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           device_filter f;
           f.after = p->after;
           f.limit = p->limit;
           const auto& q = ctx.where.query;
           if (q.count("customer")) f.customer = q.at("customer");
           if (q.count("model")) f.model = q.at("model");
           if (q.count("monitoring_mode")) {
             f.mode = domain::parse_monitoring_mode(q.at("monitoring_mode"));
             if (!f.mode)
               return problem_response(
                   invalid("query.monitoring_mode", "must be 'proxy' or 'direct'"));
           }
           auto rows = app.data.devices(f);
           if (!rows) return problem_response(rows.failure());
           return list_response(
               *rows, [](const auto& d) { return distribution_api::write_device(d.record); });
         }});
  r.add({http::verb::get, "/api/v1/proxies", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto all = app.data.topology();
           if (!all) return problem_response(all.failure());
           // Proxies are few (one per site): page over the list in memory by position.
           const auto& proxies = all->proxies;
           std::vector<std::string> items;
           std::optional<std::int64_t> next;
           for (std::size_t i = static_cast<std::size_t>(p->after + 1); i < proxies.size(); ++i) {
             if (static_cast<int>(items.size()) == p->limit) {
               next = static_cast<std::int64_t>(i) - 1;
               break;
             }
             items.push_back(proxy_summary_json(proxies[i]));
           }
           return json_text_response(http::status::ok,
                                     distribution_api::write_page(items, cursor_after(next)));
         }});
  r.add({http::verb::get, "/api/v1/topology", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {})) return problem_response(*bad);
           auto all = app.data.topology();
           if (!all) return problem_response(all.failure());
           return json_text_response(http::status::ok, distribution_api::write_topology(*all));
         }});
  r.add({http::verb::put, "/api/v1/topology", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto topology = distribution_api::read_topology(req.body());
           if (!topology) return problem_response(invalid(topology.failure()));
           auto unknown = app.data.replace_topology(*topology);
           if (!unknown) return problem_response(unknown.failure());
           return json_text_response(http::status::ok, distribution_api::write_topology_answer(
                                                           topology->proxies.size(), *unknown));
         }});
  r.add({http::verb::get, "/api/v1/services", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.services(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return list_response(
               *rows, [](const auto& s) { return distribution_api::write_service(s.record); });
         }});
  r.add({http::verb::get, "/api/v1/packages", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.packages(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return list_response(*rows, [](const auto& hosted) {
             return distribution_api::write_package(hosted.record.package, hosted.record.sha256);
           });
         }});
}

}  // namespace headroom::distribution
