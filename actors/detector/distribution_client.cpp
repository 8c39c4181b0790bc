#include "actors/detector/distribution_client.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/spawn_options.hpp>
#include <set>

#include "common/host_port.hpp"
#include "common/percent.hpp"
#include "detector/detector_errors.hpp"
#include "distribution_api/json.hpp"
#include "domain/time.hpp"

namespace headroom::detector {
namespace {

using self_pointer = distribution_client_actor::stateful_pointer<distribution_client_state>;
using header_list = std::vector<std::pair<std::string, std::string>>;

/// The error of a non-2xx answer: transient or permanent by its status, with the
/// problem document's title, path and detail when the body is one.
caf::error status_error(const std::string& request, const http_answer& a) {
  std::string what = request + ": HTTP " + std::to_string(a.status);
  if (auto p = distribution_api::read_problem(a.body)) {
    what += " " + p->title;
    if (!p->path.empty()) what += " at " + p->path;
    if (!p->detail.empty()) what += ": " + p->detail;
  } else if (!a.body.empty()) {
    what += ": " + a.body.substr(0, 200);
  }
  const auto s = a.status;
  if (s >= 500 || s == 408 || s == 429) return caf::make_error(detector_errc::server_error, what);
  if (s == 401 || s == 403 || s == 404 || s < 400)
    return caf::make_error(detector_errc::misconfigured, what);
  return caf::make_error(detector_errc::rejected, what);
}

caf::error malformed(const std::string& request, const domain::error& why) {
  return caf::make_error(detector_errc::malformed_answer,
                         request + ": malformed answer at " + why.message());
}

/// Sends one request; a transport failure is prefixed with the request it broke.
caf::expected<http_answer> send(self_pointer self, http_method method, const std::string& target,
                                const std::string& body, header_list headers = {}) {
  headers.emplace_back("Authorization", "Bearer " + self->state.config.api_token);
  auto answer = self->state.connection->send(method, target, body, headers);
  if (!answer) {
    auto err = answer.error();
    return caf::make_error(static_cast<detector_errc>(err.code()), target + ": " + describe(err));
  }
  return answer;
}

/// GETs every page of a list at PATH (QUERY: more parameters) and reads each with READ.
template <class T>
caf::expected<std::vector<T>> fetch_all(
    self_pointer self, const std::string& path, const std::string& query,
    domain::expected<distribution_api::page_of<T>> (*read)(std::string_view)) {
  std::vector<T> out;
  std::optional<std::string> cursor;
  std::set<std::string> seen;
  do {
    auto target = path + "?limit=" + std::to_string(self->state.config.page_size) + query;
    if (cursor) target += "&cursor=" + common::percent_encode(*cursor);
    const auto request = "GET " + target;
    auto answer = send(self, http_method::get, target, "");
    if (!answer) return answer.error();
    if (answer->status != 200) return status_error(request, *answer);
    auto page = read(answer->body);
    if (!page) return malformed(request, page.failure());
    for (auto& item : page->items) out.push_back(std::move(item));
    cursor = std::move(page->next_cursor);
    // A server that hands out a cursor twice would page forever.
    if (cursor && !seen.insert(*cursor).second)
      return malformed(request, {"next_cursor", "repeats an earlier cursor"});
  } while (cursor);
  return out;
}

/// The inventory's contracts, devices and packages; its services are left empty.
caf::expected<distribution_api::inventory> fetch_devices(self_pointer self) {
  distribution_api::inventory inv;
  auto customers = fetch_all(self, "/api/v1/customers", "", distribution_api::read_customers_page);
  if (!customers) return customers.error();
  auto devices = fetch_all(self, "/api/v1/devices", "", distribution_api::read_devices_page);
  if (!devices) return devices.error();
  auto packages = fetch_all(self, "/api/v1/packages", "", distribution_api::read_packages_page);
  if (!packages) return packages.error();
  inv.customers = std::move(*customers);
  inv.devices = std::move(*devices);
  inv.packages = std::move(*packages);
  return inv;
}

/// The inventory's service schedules alone.
caf::expected<distribution_api::inventory> fetch_services(self_pointer self) {
  distribution_api::inventory inv;
  auto services = fetch_all(self, "/api/v1/services", "", distribution_api::read_services_page);
  if (!services) return services.error();
  inv.services = std::move(*services);
  return inv;
}

caf::result<distribution_api::inventory> fetch_inventory(self_pointer self) {
  auto inv = fetch_devices(self);
  if (!inv) return inv.error();
  auto services = fetch_services(self);
  if (!services) return services.error();
  inv->services = std::move(services->services);
  return std::move(*inv);
}

caf::result<std::vector<distribution_api::job_record>> fetch_jobs(self_pointer self,
                                                                  domain::instant since,
                                                                  std::int64_t changed_after) {
  std::string query;
  if (changed_after >= 0)
    query = "&changed_after=" + std::to_string(changed_after);
  else if (since != 0)
    query = "&updated_since=" + common::percent_encode(domain::format_utc(since));
  auto jobs = fetch_all(self, "/api/v1/jobs", query, distribution_api::read_jobs_page);
  if (!jobs) return jobs.error();
  return std::move(*jobs);
}

caf::result<std::vector<std::string>> put_topology(self_pointer self,
                                                   const distribution_api::topology_record& t) {
  const std::string target = "/api/v1/topology";
  auto answer = send(self, http_method::put, target, distribution_api::write_topology(t));
  if (!answer) return answer.error();
  if (answer->status != 200) return status_error("PUT " + target, *answer);
  auto unknown = distribution_api::read_topology_answer(answer->body);
  if (!unknown) return malformed("PUT " + target, unknown.failure());
  return std::move(*unknown);
}

caf::result<distribution_api::adjustment_outcome> deliver(self_pointer self,
                                                          const outbox_entry& e) {
  const bool adjustment = e.kind == "adjustment";
  if (!adjustment && e.kind != "notification")
    return caf::make_error(detector_errc::rejected, "outbox entry #" + std::to_string(e.seq) +
                                                        " has unknown kind '" + e.kind + "'");
  const std::string target = adjustment ? "/api/v1/adjustments" : "/api/v1/notifications";
  const auto request = "POST " + target + " (Idempotency-Key " + e.idempotency_key + ")";
  auto answer =
      send(self, http_method::post, target, e.body, {{"Idempotency-Key", e.idempotency_key}});
  if (!answer) return answer.error();
  if (answer->status < 200 || answer->status > 299) return status_error(request, *answer);
  if (!adjustment) return distribution_api::adjustment_outcome{};
  auto outcome = distribution_api::read_adjustment_answer(answer->body);
  if (!outcome) return malformed(request, outcome.failure());
  return std::move(*outcome);
}

}  // namespace

domain::expected<http_endpoint> parse_http_url(const std::string& url) {
  const auto bad = [&](const std::string& why) {
    return domain::error{"", "'" + url + "': " + why};
  };
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return bad("only http://HOST[:PORT] is supported");
  auto rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find_first_of("/?#@") != std::string::npos)
    return bad("expected http://HOST[:PORT] without path, query or credentials");
  // Without a port: HOST, or [IPv6] in brackets.
  if (rest.empty() || rest.back() == ']' || rest.find(':') == std::string::npos) {
    auto host = rest.size() > 1 && rest.front() == '[' && rest.back() == ']'
                    ? rest.substr(1, rest.size() - 2)
                    : rest;
    if (host.empty() || host.find_first_of("[]") != std::string::npos) return bad("no host");
    return http_endpoint{std::move(host), 80};
  }
  auto at = common::parse_host_port(rest, {1, 65535});
  if (!at) return bad(at.failure().what);
  return http_endpoint{std::move(at->host), at->port};
}

domain::expected<distribution_client_config> validate(distribution_client_config c) {
  using domain::error;
  if (auto endpoint = parse_http_url(c.url); !endpoint)
    return domain::nest("distribution.url", endpoint.failure());
  if (c.api_token.empty())
    return error{"distribution.api_token",
                 "must be set: the distribution system's bearer token (--api-token)"};
  if (c.api_token.find_first_of("\r\n") != std::string::npos)
    return error{"distribution.api_token", "must be one line"};
  if (c.connect_timeout.count() <= 0)
    return error{"distribution.connect_timeout", "must be positive"};
  if (c.request_timeout.count() <= 0) return error{"distribution.timeout_ms", "must be positive"};
  if (c.page_size < 1) return error{"distribution.page_size", "must be at least 1"};
  if (c.max_answer_bytes < 1024)
    return error{"distribution.max_answer_bytes", "must be at least 1024"};
  return c;
}

distribution_client_actor::behavior_type distribution_client(self_pointer self,
                                                             distribution_client_config config,
                                                             http_endpoint endpoint) {
  http_limits limits{config.connect_timeout, config.request_timeout, config.max_answer_bytes};
  self->state.config = std::move(config);
  self->state.connection = std::make_unique<http_connection>(endpoint.host, endpoint.port, limits);
  return {
      [self](atom::fetch_inventory) { return fetch_inventory(self); },
      [self](atom::fetch_devices) -> caf::result<distribution_api::inventory> {
        return fetch_devices(self);
      },
      [self](atom::fetch_services) -> caf::result<distribution_api::inventory> {
        return fetch_services(self);
      },
      [self](atom::fetch_jobs, domain::instant since, std::int64_t changed_after) {
        return fetch_jobs(self, since, changed_after);
      },
      [self](atom::put_topology, const distribution_api::topology_record& t) {
        return put_topology(self, t);
      },
      [self](atom::deliver, const outbox_entry& e) { return deliver(self, e); },
  };
}

caf::expected<distribution_client_actor> spawn_distribution_client(
    caf::actor_system& system, distribution_client_config config) {
  auto valid = validate(std::move(config));
  if (!valid) return invalid_config(valid.failure().message());
  auto endpoint = parse_http_url(valid->url);
  // Detached: every request blocks this actor's own thread on a socket (with its
  // deadlines), never a scheduler thread, and requests are answered one at a time over
  // one kept-alive connection, which is also what the distribution system prefers.
  return system.spawn<caf::detached>(distribution_client, std::move(*valid), *endpoint);
}

}  // namespace headroom::detector
