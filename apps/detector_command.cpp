#include "apps/detector_command.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "actors/detector/detector_node.hpp"
#include "actors/type_registry.hpp"
#include "bus/errors.hpp"
#include "common/host_port.hpp"
#include "common/stop_signals.hpp"
#include "common/system_wall_clock.hpp"

namespace headroom::apps {
namespace {

struct detector_flags {
  std::string config_file;
  std::string distribution, api_token, bus, bus_publish, mode, data_dir, status, id;
  std::uint32_t shards = 0;
  std::optional<std::int32_t> threshold;
  std::optional<double> threshold_ratio;
  std::optional<std::int64_t> horizon_days, fetch_interval_ms;
  std::string horizon_start, horizon_end;
};

int fail(const domain::error& e) {
  std::cerr << "headroom detector: " << e.message() << "\n";
  return 1;
}

domain::expected<detector::detector_config> configure(const detector_flags& f) {
  detector::detector_config config;
  if (!f.config_file.empty()) {
    auto loaded = detector::read_detector_config(f.config_file);
    if (!loaded) return loaded.failure();
    config = *loaded;
  }
  if (!f.distribution.empty()) config.distribution.url = f.distribution;
  if (!f.api_token.empty()) config.distribution.api_token = f.api_token;
  if (!f.bus.empty()) config.bus = f.bus;
  if (!f.bus_publish.empty()) config.bus_publish = f.bus_publish;
  if (!f.data_dir.empty()) config.data_dir = f.data_dir;
  if (!f.status.empty()) config.status = f.status;
  if (!f.id.empty()) config.id = f.id;
  if (f.shards) config.shards = f.shards;
  if (f.threshold && f.threshold_ratio)
    return domain::error{"--threshold", "and --threshold-ratio exclude each other"};
  if (f.threshold) config.fetch.thresholds = {f.threshold, std::nullopt};
  if (f.threshold_ratio) config.fetch.thresholds = {std::nullopt, f.threshold_ratio};
  if (f.horizon_days) config.fetch.horizon_days = *f.horizon_days;
  if (f.fetch_interval_ms) config.fetch.interval = std::chrono::milliseconds{*f.fetch_interval_ms};
  if (f.horizon_start.empty() != f.horizon_end.empty())
    return domain::error{"--horizon-start", "and --horizon-end go together"};
  if (!f.horizon_start.empty()) {
    auto start = domain::parse_rfc3339(f.horizon_start);
    if (!start) return domain::error{"--horizon-start", start.failure().what};
    auto end = domain::parse_rfc3339(f.horizon_end);
    if (!end) return domain::error{"--horizon-end", end.failure().what};
    config.fetch.horizon = domain::interval{*start, *end};
  }
  if (!f.mode.empty()) {
    auto mode = detector::parse_mode(f.mode);
    if (!mode) return domain::error{"--mode", "must be warn or auto, not " + f.mode};
    config.mode = *mode;
  }
  return detector::validate(std::move(config));
}

int run_detector(const detector_flags& flags) {
  auto config = configure(flags);
  if (!config) return fail(config.failure());
  common::stop_signals signals;
  caf::actor_system_config actor_config;
  actors::register_types(actor_config);
  caf::actor_system system{actor_config};
  zmq::context_t context;
  auto node = detector::detector_node::start(system, context, *config, common::system_wall_clock());
  if (!node) return fail(domain::error{"", describe(node.error())});
  const auto status = common::parse_host_port(config->status);
  std::cout << "status on http://" << common::format_host_port(status->host, (*node)->status_port())
            << "\n"
            << "bus on " << (*node)->router_endpoint() << " (publishing on "
            << (*node)->pub_endpoint() << ")\n"
            << "mode " << detector::to_string(config->mode) << ", distribution system "
            << config->distribution.url << "\n"
            << std::flush;
  signals.wait();
  std::cerr << "headroom detector: stopping\n";
  (*node)->stop();
  return 0;
}

}  // namespace

void add_detector_command(CLI::App& app) {
  auto f = std::make_shared<detector_flags>();
  auto* cmd =
      app.add_subcommand("detector",
                         "Run the shared detector: learns nodes on the bus, fetches schedules, "
                         "detects overloads, warns or re-schedules");
  cmd->add_option("--config", f->config_file, "TOML configuration (config/detector.toml)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--distribution", f->distribution,
                  "The distribution system, http://HOST:PORT (distribution.url)");
  cmd->add_option("--api-token", f->api_token, "Its bearer token (distribution.api_token)");
  cmd->add_option("--bus", f->bus, "The bus ROUTER to bind, tcp://127.0.0.1:5555 (bus.listen)");
  cmd->add_option("--bus-publish", f->bus_publish,
                  "The bus PUB to bind; default: the next port (bus.publish)");
  cmd->add_option("--mode", f->mode,
                  "warn (notify the operator) or auto (re-schedule) (detector.mode)");
  cmd->add_option("--data-dir", f->data_dir, "Directory of the outbox (detector.data_dir)");
  cmd->add_option("--status", f->status,
                  "HOST:PORT of /status, /metrics, /healthz; port 0: any (detector.status)");
  cmd->add_option("--id", f->id, "This detector's id (detector.id)");
  cmd->add_option("--shards", f->shards,
                  "Load detector actors; 0: one per core (detection.shards)");
  cmd->add_option("--threshold", f->threshold,
                  "Overloaded above this many devices on every proxy (detection.threshold)");
  cmd->add_option("--threshold-ratio", f->threshold_ratio,
                  "Overloaded above this share of capacity (detection.threshold_ratio)");
  cmd->add_option("--horizon-days", f->horizon_days,
                  "Detect from the current hour for this many days (detection.horizon_days)");
  cmd->add_option("--horizon-start", f->horizon_start,
                  "A fixed horizon's start, RFC 3339 (detection.horizon_start)");
  cmd->add_option("--horizon-end", f->horizon_end,
                  "A fixed horizon's end, RFC 3339 (detection.horizon_end)");
  cmd->add_option("--fetch-interval-ms", f->fetch_interval_ms,
                  "Between two fetches (fetch.interval_ms)");
  cmd->callback([f] {
    if (const int code = run_detector(*f); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace headroom::apps
