#include "apps/relay_command.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <chrono>
#include <iostream>
#include <optional>

#include "actors/relay/relay_node.hpp"
#include "actors/type_registry.hpp"
#include "bus/errors.hpp"
#include "common/host_port.hpp"
#include "common/stop_signals.hpp"
#include "common/system_wall_clock.hpp"
#include "relay/relay_config.hpp"

namespace headroom::apps {
namespace {

// Flags given on the command line; each one, when present, overrides the file.
struct relay_flags {
  std::string config_file;
  std::optional<std::string> listen, admin, proxy_id, detector, detector_pub, node_id, on_full;
  std::optional<std::uint32_t> capacity, threshold, per_device_connections, queue_limit, io_threads;
  std::optional<std::int64_t> queue_timeout_ms;
  std::vector<std::string> allow;
};

// The URL of an address the node bound (validated: it parses).
std::string url_of(const std::string& address, std::uint16_t bound) {
  return "http://" + common::format_host_port(common::parse_host_port(address)->host, bound);
}

int run_relay(const relay_flags& f) {
  relay::relay_config config;
  if (!f.config_file.empty()) {
    auto read = relay::read_relay_config(f.config_file);
    if (!read) {
      std::cerr << "headroom relay: " << read.failure().message() << "\n";
      return 2;
    }
    config = std::move(*read);
  }
  if (f.listen) config.listen = *f.listen;
  if (f.admin) config.admin = *f.admin;
  if (f.proxy_id) config.proxy_id = *f.proxy_id;
  if (f.detector) config.detector = *f.detector;
  if (f.detector_pub) config.detector_pub = *f.detector_pub;
  if (f.node_id) config.node_id = *f.node_id;
  auto& admission = config.admission;
  if (f.capacity) admission.capacity = *f.capacity;
  if (f.threshold) admission.threshold = *f.threshold;
  if (f.per_device_connections) admission.per_device_connections = *f.per_device_connections;
  if (f.queue_limit) admission.queue_limit = *f.queue_limit;
  if (f.io_threads) config.io_threads = *f.io_threads;
  if (f.queue_timeout_ms) admission.queue_timeout = std::chrono::milliseconds{*f.queue_timeout_ms};
  if (f.on_full) admission.on_full = *common::pick(relay::on_full_policies, *f.on_full);
  if (!f.allow.empty()) config.allow = f.allow;
  auto valid = relay::validate(config);
  if (!valid) {
    std::cerr << "headroom relay: " << valid.failure().message() << "\n";
    return 2;
  }
  config = std::move(*valid);
  if (config.allow.empty())
    std::cerr << "headroom relay: warning: the allowlist is empty, every upstream gets 403 "
                 "(--allow HOST:PORT)\n";

  common::stop_signals signals;

  caf::actor_system_config actor_config;
  actors::register_types(actor_config);
  actor_config.set("scheduler.max-threads", 2);
  caf::actor_system system{actor_config};
  auto log_refusal = [](const relay::refusal& r) {
    std::clog << "refused " << relay::to_label(r.reason) << " client=" << r.client_address
              << " device=" << (r.device_id.empty() ? "-" : r.device_id) << ": " << r.detail
              << "\n";
  };
  relay::relay_bus_options bus_options;
  bus_options.software_version = HEADROOM_VERSION;
  bus_options.log = [](const std::string& line) { std::clog << line << "\n"; };
  auto node = relay::relay_node::start(system, config, common::system_wall_clock(), log_refusal,
                                       std::move(bus_options));
  if (!node) {
    std::cerr << "headroom relay: " << describe(node.error()) << "\n";
    return 1;
  }
  std::cout << "listening on " << url_of(config.listen, (*node)->port()) << "\n"
            << "admin on " << url_of(config.admin, (*node)->admin_port()) << "\n"
            << std::flush;
  if (config.detector.empty())
    std::cerr << "headroom relay: standalone (no --detector)\n";
  else
    std::cerr << "headroom relay: node " << config.node_id << " reporting to the detector at "
              << config.detector << " (broadcasts from " << config.detector_pub << ")\n";
  signals.wait();
  std::cerr << "headroom relay: stopping\n";
  (*node)->stop();
  return 0;
}

}  // namespace

void add_relay_command(CLI::App& app) {
  auto flags = std::make_shared<relay_flags>();
  auto* cmd = app.add_subcommand("relay",
                                 "Run a proxy node: the HTTP forward proxy whose sessions Headroom "
                                 "counts; with --detector it also "
                                 "reports to the shared detector over the bus (docs/relay.md)");
  cmd->footer(
      "Settings without a flag ([identity], [devices]: monitoring mode and models, [bus]: "
      "heartbeats, the "
      "buffer held while the detector is away, CurveZMQ keys, [limits]) are in the --config file; "
      "config/relay.toml shows every one with its default.");
  cmd->add_option("--config", flags->config_file,
                  "TOML file (see config/relay.toml); flags override it")
      ->check(CLI::ExistingFile);
  cmd->add_option("--listen", flags->listen,
                  "Where devices connect, HOST:PORT (port 0: any free port)");
  cmd->add_option("--admin", flags->admin,
                  "Admin endpoint (/metrics, /healthz, /status), HOST:PORT");
  cmd->add_option("--proxy-id", flags->proxy_id, "This proxy node's id");
  cmd->add_option("--capacity", flags->capacity, "Distinct devices relayed at once");
  cmd->add_option("--threshold", flags->threshold, "Load threshold reported to the detector");
  cmd->add_option("--per-device-connections", flags->per_device_connections,
                  "Connections one device may hold");
  cmd->add_option("--on-full", flags->on_full, "When full: reject (503) or queue")
      ->check([](const std::string& text) {
        return common::pick(relay::on_full_policies, text)
                   ? std::string()
                   : "must be " + common::either(relay::on_full_policies);
      });
  cmd->add_option("--queue-limit", flags->queue_limit,
                  "Connections waiting at most (--on-full queue)");
  cmd->add_option("--queue-timeout-ms", flags->queue_timeout_ms, "Longest wait in the queue");
  cmd->add_option("--allow", flags->allow,
                  "Upstream HOST:PORT to relay to (repeatable; replaces the file's list)");
  cmd->add_option(
      "--detector", flags->detector,
      "The detector's bus endpoint (its ROUTER), tcp://HOST:PORT or ipc://PATH; without it the "
      "relay runs standalone. The node then sends its hello, heartbeats with its load, the devices "
      "it relays, a session event per session and measured download times");
  cmd->add_option("--detector-pub", flags->detector_pub,
                  "The detector's broadcast endpoint (its PUB); default: --detector's port + 1");
  cmd->add_option("--node-id", flags->node_id, "This node's id on the bus; default: the proxy id");
  cmd->add_option("--io-threads", flags->io_threads, "Threads copying bytes");
  cmd->callback([flags] {
    int code = run_relay(*flags);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace headroom::apps
