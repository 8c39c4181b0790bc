#include "distribution/service.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>

#include "common/host_port.hpp"
#include "distribution/app.hpp"
#include "distribution/crypto.hpp"
#include "distribution/http/router.hpp"
#include "distribution/http/server.hpp"
#include "distribution/store/store.hpp"

namespace headroom::distribution {

struct distribution_service::parts {
  distribution_config config;
  std::unique_ptr<store> data;
  metrics counters;
  std::unique_ptr<app_context> app;
  std::unique_ptr<router> routes;
  std::unique_ptr<http_server> server;
};

distribution_service::distribution_service(std::unique_ptr<parts> p) : parts_(std::move(p)) {}

distribution_service::~distribution_service() {
  if (parts_ && parts_->server) parts_->server->stop();
}

domain::expected<std::unique_ptr<distribution_service>, failure> distribution_service::open(
    distribution_config settings, domain::wall_clock clock, log_sink log) {
  auto config = validate(std::move(settings));
  if (!config) return failure{failure_kind::invalid, config.failure().where, config.failure().what};
  if (!clock)
    return failure{failure_kind::invalid, "clock", "the distribution system needs a wall clock"};
  if (!crypto_ready()) return failure{failure_kind::internal, "", "libsodium cannot initialise"};
  std::error_code ec;
  const auto firmware_dir = config->data_dir + "/firmware";
  std::filesystem::create_directories(firmware_dir, ec);
  if (ec)
    return failure{failure_kind::invalid, "store.data_dir",
                   "cannot create " + firmware_dir + ": " + ec.message()};
  auto p = std::make_unique<parts>();
  p->config = std::move(*config);
  // One reader connection per HTTP thread, plus one for the pages' longer reads.
  auto data = store::open(p->config.data_dir + "/distribution.sqlite3", p->config.threads + 1,
                          std::int64_t{p->config.idempotency_key_hours} * 3600);
  if (!data) return data.failure();
  p->data = std::move(*data);
  auto token = p->config.api_token.empty() ? random_token(24) : p->config.api_token;
  if (!log)
    log = [](const std::string& line) { std::cerr << "headroom distribution: " + line + "\n"; };
  const login_limits limits{p->config.login_failures_per_account,
                            p->config.login_failures_per_address, p->config.login_window_seconds,
                            static_cast<std::size_t>(p->config.login_tracked_keys)};
  p->app.reset(new app_context{p->config, *p->data, p->counters, std::move(token), firmware_dir,
                               std::move(clock), std::move(log), login_limiter(limits)});
  p->routes = make_router(*p->app);
  return std::unique_ptr<distribution_service>(new distribution_service(std::move(p)));
}

domain::expected<std::uint16_t, failure> distribution_service::start() {
  auto where = common::parse_host_port(parts_->config.listen);
  if (!where) return failure{failure_kind::invalid, "listen", where.failure().what};
  parts_->server = std::make_unique<http_server>(*parts_->routes);
  return parts_->server->start(where->host, where->port, parts_->config.threads);
}

void distribution_service::stop() {
  if (parts_->server) parts_->server->stop();
}

const std::string& distribution_service::api_token() const { return parts_->app->api_token; }

store& distribution_service::data() { return *parts_->data; }

std::vector<std::pair<std::string, std::string>> distribution_service::api_routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : parts_->routes->routes())
    if (r.in_openapi) out.emplace_back(std::string(http::to_string(r.method)), r.pattern);
  return out;
}

std::vector<route_info> distribution_service::route_table() const {
  std::vector<route_info> out;
  for (const auto& r : parts_->routes->routes()) {
    const char* who = r.who == access::open    ? "open"
                      : r.who == access::token ? "token"
                                               : "operator";
    out.push_back({std::string(http::to_string(r.method)), r.pattern, who});
  }
  return out;
}

std::size_t distribution_service::login_limiter_entries() const {
  return parts_->app->logins.tracked();
}

domain::expected<std::string, failure> distribution_service::add_operator(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.find_first_of(" \t\r\n<>&\"'") != std::string::npos)
    return failure{failure_kind::invalid, "add-operator",
                   "an operator name is 1-64 characters without spaces or markup"};
  auto password = random_token(15);
  auto hash = hash_password(password);
  if (!hash) return failure{failure_kind::internal, "", "crypto_pwhash ran out of memory"};
  if (auto stored = parts_->data->put_operator(name, *hash, parts_->app->now()); !stored)
    return stored.failure();
  return password;
}

}  // namespace headroom::distribution
