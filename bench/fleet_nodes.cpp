// Stand-in proxy nodes for a detector in another process: one node per proxy of a fleet
// file announces its devices over the bus (tcp://, no CurveZMQ), heartbeats, and stays
// until SIGINT or SIGTERM. The sizing of a detector in docs/operations.md runs
// `headroom distribution` (the fleet imported), `headroom detector` and this, each its
// own process, so that the detector's memory and CPU are measured alone.
// Usage: fleet_nodes FLEET.json tcp://DETECTOR:5555 tcp://DETECTOR:5556
#include "sim/fleet_nodes.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <iostream>

#include "actors/type_registry.hpp"
#include "common/stop_signals.hpp"
#include "common/system_wall_clock.hpp"
#include "formats/fleet_reader.hpp"

using namespace headroom;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: fleet_nodes FLEET.json ROUTER_ENDPOINT PUB_ENDPOINT\n";
    return 2;
  }
  auto fleet = formats::read_fleet_file(argv[1]);
  if (!fleet) {
    std::cerr << argv[1] << ": " << fleet.failure().message() << "\n";
    return 1;
  }
  common::stop_signals signals;
  // Two sockets per node: above ZeroMQ's default of 1023 per context from 512 proxies on
  // (and the process's descriptors: ulimit -n). Declared before the actor system, which
  // waits for the nodes when it goes, so that it outlives them.
  zmq::context_t context;
  context.set(zmq::ctxopt::max_sockets, static_cast<int>(2 * fleet->proxies.size() + 64));
  caf::actor_system_config config;
  actors::register_types(config);
  caf::actor_system system{config};
  const auto clock = common::system_wall_clock();
  auto nodes = sim::spawn_fleet_nodes(system, context, sim::fleet_nodes_config{argv[2], argv[3]},
                                      sim::announcements_of(*fleet, clock.seconds()));
  if (!nodes) {
    std::cerr << nodes.failure().message() << "\n";
    return 1;
  }
  std::cout << nodes->size() << " nodes announced " << fleet->devices.size() << " devices"
            << std::endl;
  signals.wait();
  for (auto& n : *nodes) caf::anon_send_exit(n, caf::exit_reason::user_shutdown);
  return 0;
}
