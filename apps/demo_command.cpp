#include "apps/demo_command.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "actors/detector/detector_node.hpp"
#include "actors/type_registry.hpp"
#include "bus/errors.hpp"
#include "common/host_port.hpp"
#include "common/stop_signals.hpp"
#include "common/system_wall_clock.hpp"
#include "distribution/service.hpp"
#include "distribution/store/store.hpp"
#include "formats/fleet_reader.hpp"
#include "sim/fleet_nodes.hpp"

namespace headroom::apps {
namespace {

struct demo_flags {
  std::string fleet;
  std::string mode = "warn";
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "data/demo";
  std::string api_token;
  std::string display_time_zone = distribution::distribution_config{}.display_time_zone;
  std::uint32_t fetch_interval_s = 5;
};

int fail(const std::string& what) {
  std::cerr << "headroom demo: " << what << "\n";
  return 1;
}

int run_demo(const demo_flags& flags) {
  auto mode = detector::parse_mode(flags.mode);
  if (!mode) return fail("--mode: must be warn or auto, not " + flags.mode);
  auto fleet = formats::read_fleet_file(flags.fleet);
  if (!fleet) return fail(flags.fleet + ": " + fleet.failure().message());
  if (auto problem = domain::validate(*fleet)) return fail(flags.fleet + ": " + problem->message());

  common::stop_signals signals;
  distribution::distribution_config dist;
  dist.listen = flags.listen;
  dist.data_dir = (std::filesystem::path(flags.data_dir) / "distribution").string();
  dist.api_token = flags.api_token;
  dist.display_time_zone = flags.display_time_zone;
  const auto clock = common::system_wall_clock();
  auto service = distribution::distribution_service::open(dist, clock);
  if (!service) return fail(service.failure().path + ": " + service.failure().detail);
  if (auto imported = (*service)->data().replace_fleet(*fleet, clock.seconds()); !imported)
    return fail("importing " + flags.fleet + ": " + imported.failure().detail);
  auto port = (*service)->start();
  if (!port) return fail(port.failure().path + ": " + port.failure().detail);
  // The service has validated the address: it parses.
  const std::string host = common::parse_host_port(flags.listen)->host;
  const std::string url = "http://" + common::format_host_port(host, *port);
  std::cout << "listening on " << url << std::endl;
  auto password = (*service)->add_operator("operator");
  if (!password) return fail(password.failure().detail);

  caf::actor_system_config actor_config;
  actors::register_types(actor_config);
  caf::actor_system system{actor_config};
  zmq::context_t context;

  detector::detector_config detector;
  detector.id = "demo-detector";
  detector.mode = *mode;
  detector.distribution.url = url;
  detector.distribution.api_token = (*service)->api_token();
  detector.data_dir = (std::filesystem::path(flags.data_dir) / "detector").string();
  detector.status = common::format_host_port(host, 0);
  detector.bus = "inproc://headroom-demo-hub";
  detector.bus_publish = "inproc://headroom-demo-broadcast";
  detector.fetch.interval = std::chrono::seconds{flags.fetch_interval_s};
  // The fleet's own horizon, so that the windows equal `headroom check`'s.
  detector.fetch.horizon = domain::effective_horizon(*fleet);
  auto node = detector::detector_node::start(system, context, detector, clock);
  if (!node) return fail(describe(node.error()));

  sim::fleet_nodes_config nodes_config{(*node)->router_endpoint(), (*node)->pub_endpoint()};
  auto nodes = sim::spawn_fleet_nodes(system, context, nodes_config,
                                      sim::announcements_of(*fleet, clock.seconds()));
  if (!nodes) return fail(nodes.failure().message());

  std::cout << "operator login: operator / " << *password << "\n"
            << "  warnings:  " << url << "/warnings\n"
            << "  schedule:  " << url << "/schedule\n"
            << "  history:   " << url << "/history\n"
            << "detector " << detector::to_string(*mode) << " mode, status on http://"
            << common::format_host_port(host, (*node)->status_port()) << "/status\n"
            << fleet->proxies.size() << " proxy nodes announced " << fleet->devices.size()
            << " devices; Ctrl-C stops everything" << std::endl;
  signals.wait();
  std::cerr << "headroom demo: stopping\n";
  for (auto& n : *nodes) caf::anon_send_exit(n, caf::exit_reason::user_shutdown);
  (*node)->stop();
  (*service)->stop();
  return 0;
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto f = std::make_shared<demo_flags>();
  auto* cmd =
      app.add_subcommand("demo",
                         "Run the distribution system, the detector and a node per proxy of a "
                         "fleet in one process");
  cmd->add_option("--fleet", f->fleet, "Fleet file to import (docs/fleet-file.md)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--mode", f->mode,
                  "warn (the warning screen shows the windows) or auto (re-schedule)");
  cmd->add_option("--listen", f->listen,
                  "host:port of the distribution system; port 0 picks a free one");
  cmd->add_option("--data-dir", f->data_dir, "Where the distribution store and the outbox live");
  cmd->add_option("--api-token", f->api_token,
                  "The distribution system's bearer token; else generated");
  cmd->add_option("--display-time-zone", f->display_time_zone,
                  "IANA time zone the pages show times in, beside UTC ([pages] display_time_zone)");
  cmd->add_option("--fetch-interval", f->fetch_interval_s,
                  "Seconds between the detector's fetches");
  cmd->callback([f] {
    if (const int code = run_demo(*f); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace headroom::apps
