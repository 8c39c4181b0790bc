// Customers, devices, proxies, the topology a detector reports, service schedules, packages.
#include "distribution/api/paging.hpp"
#include "distribution/api/resource_json.hpp"
#include "distribution/app.hpp"
#include "distribution/http/json_body.hpp"
#include "distribution/http/problem.hpp"
#include "distribution/http/router.hpp"

namespace headroom::distribution {
namespace {

using nlohmann::json;

/// Reads `{"proxies": [{"id", "capacity", "threshold", "devices": [...]}, ...]}`.
domain::expected<std::vector<topology_proxy>, failure> read_topology(const std::string& body) {
  auto doc = parse_json_body(body);
  if (!doc) return doc.failure();
  return read_body<std::vector<topology_proxy>>([&] {
    body_fields root(*doc, "", {"proxies"});
    std::vector<topology_proxy> out;
    const auto& proxies = root.array("proxies");
    for (std::size_t i = 0; i < proxies.size(); ++i) {
      const auto at = item_path("proxies", i);
      body_fields p(proxies[i], at, {"id", "capacity", "threshold", "devices"});
      topology_proxy t;
      t.id = p.string("id");
      for (const auto& earlier : out)
        if (earlier.id == t.id) reject(p.at("id"), "proxy '" + t.id + "' appears twice");
      t.capacity = static_cast<std::int32_t>(p.integer("capacity", 1, 1'000'000));
      t.threshold = static_cast<std::int32_t>(p.integer("threshold", 1, t.capacity));
      const auto& devices = p.array("devices");
      for (std::size_t d = 0; d < devices.size(); ++d) {
        if (!devices[d].is_string() || devices[d].get<std::string>().empty())
          reject(item_path(p.at("devices"), d), "expected a device id");
        t.devices.push_back(devices[d].get<std::string>());
      }
      out.push_back(std::move(t));
    }
    return out;
  });
}

/// Answers a list whose rows the store pages itself.
template <class Rows>
http_response paged(const Rows& rows) {
  json items = json::array();
  for (const auto& row : rows->items) items.push_back(to_json(row));
  return json_response(http::status::ok, page_document(std::move(items), rows->next_after));
}

}  // namespace

void add_inventory_routes(router& r, app_context& app) {
  r.add({http::verb::get, "/api/v1/customers", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.customers(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return paged(rows);
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
             f.mode = q.at("monitoring_mode");
             if (*f.mode != "proxy" && *f.mode != "direct")
               return problem_response(
                   invalid("query.monitoring_mode", "must be 'proxy' or 'direct'"));
           }
           auto rows = app.data.devices(f);
           if (!rows) return problem_response(rows.failure());
           return paged(rows);
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
           json items = json::array();
           std::optional<std::int64_t> next;
           for (std::size_t i = static_cast<std::size_t>(p->after + 1); i < all->size(); ++i) {
             if (static_cast<int>(items.size()) == p->limit) {
               next = static_cast<std::int64_t>(i) - 1;
               break;
             }
             const auto& x = (*all)[i];
             items.push_back({{"id", x.id},
                              {"capacity", x.capacity},
                              {"threshold", x.threshold},
                              {"devices_seen", x.devices.size()}});
           }
           return json_response(http::status::ok, page_document(std::move(items), next));
         }});
  r.add({http::verb::get, "/api/v1/topology", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {})) return problem_response(*bad);
           auto all = app.data.topology();
           if (!all) return problem_response(all.failure());
           json proxies = json::array();
           for (const auto& p : *all) proxies.push_back(to_json(p));
           return json_response(http::status::ok, {{"proxies", proxies}});
         }});
  r.add({http::verb::put, "/api/v1/topology", access::token,
         [&app](const http_request& req, request_context&) -> http_response {
           auto proxies = read_topology(req.body());
           if (!proxies) return problem_response(proxies.failure());
           auto unknown = app.data.replace_topology(*proxies);
           if (!unknown) return problem_response(unknown.failure());
           return json_response(http::status::ok,
                                {{"proxies", proxies->size()}, {"unknown_devices", *unknown}});
         }});
  r.add({http::verb::get, "/api/v1/services", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.services(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return paged(rows);
         }});
  r.add({http::verb::get, "/api/v1/packages", access::token,
         [&app](const http_request&, request_context& ctx) -> http_response {
           if (auto bad = unknown_parameters(ctx.where, {"cursor", "limit"}))
             return problem_response(*bad);
           auto p = read_page_request(ctx.where, app.config);
           if (!p) return problem_response(p.failure());
           auto rows = app.data.packages(p->after, p->limit);
           if (!rows) return problem_response(rows.failure());
           return paged(rows);
         }});
}

}  // namespace headroom::distribution
