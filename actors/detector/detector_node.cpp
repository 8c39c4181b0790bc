#include "actors/detector/detector_node.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "actors/detector/adjuster.hpp"
#include "actors/detector/distribution_client.hpp"
#include "actors/detector/load_detector.hpp"
#include "actors/detector/node_registry.hpp"
#include "actors/detector/notifier.hpp"
#include "actors/detector/schedule_fetcher.hpp"
#include "actors/detector/status_reporter.hpp"
#include "bus/curve.hpp"
#include "bus/hub_bridge.hpp"
#include "detector/detector_errors.hpp"
#include "detector/known_nodes.hpp"

namespace headroom::detector {
namespace {

using domain::error;

// A setting's problem as the detector's error.
caf::error invalid(const error& e) { return invalid_config(e.message()); }

// A part's failure to start, with the setting that names the part in front.
caf::error in_setting(const char* setting, const caf::error& e) {
  return caf::error{e.code(), e.category(),
                    caf::make_message(std::string{setting} + ": " + describe(e))};
}

domain::expected<bus::hub_config> hub_config_of(const detector_config& c,
                                                const domain::wall_clock& clock) {
  bus::hub_config hub;
  hub.detector_id = c.id;
  hub.router_endpoint = c.bus;
  hub.pub_endpoint = c.bus_publish;
  hub.heartbeat_interval = c.heartbeat_interval;
  hub.heartbeat_timeout = c.heartbeat_timeout;
  hub.clock = clock;
  if (!c.key_file.empty()) {
    auto keys = bus::read_key_file(c.key_file, true);
    if (!keys) return error{"bus.key_file", keys.failure().message()};
    auto allowed = bus::read_allowlist(c.allowlist_file);
    if (!allowed) return error{"bus.allowlist_file", allowed.failure().message()};
    hub.curve = bus::hub_curve_config{*keys, *allowed};
  }
  return hub;
}

}  // namespace

caf::expected<std::unique_ptr<detector_node>> detector_node::start(caf::actor_system& system,
                                                                   zmq::context_t& context,
                                                                   const detector_config& settings,
                                                                   domain::wall_clock clock) {
  auto valid = validate(settings);
  if (!valid) return invalid(valid.failure());
  const auto& config = *valid;
  if (!clock) return invalid(error{"clock", "the detector needs a wall clock"});
  auto hub_config = hub_config_of(config, clock);
  if (!hub_config) return invalid(hub_config.failure());
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return invalid(
        error{"detector.data_dir", "cannot create " + config.data_dir + ": " + ec.message()});

  std::unique_ptr<detector_node> node(new detector_node(system));
  auto keep = [&](auto handle) {
    node->actors_.push_back(caf::actor_cast<caf::actor>(handle));
    return handle;
  };

  // Three clients, each on its own thread: neither a delivery nor the fetch of a change
  // waits behind the long read of a full refresh.
  auto client = spawn_distribution_client(system, config.distribution);
  if (!client) return in_setting("distribution.url", client.error());
  keep(*client);
  auto sweep_client = spawn_distribution_client(system, config.distribution);
  if (!sweep_client) return in_setting("distribution.url", sweep_client.error());
  keep(*sweep_client);
  auto delivery_client = spawn_distribution_client(system, config.distribution);
  if (!delivery_client) return in_setting("distribution.url", delivery_client.error());
  keep(*delivery_client);

  auto fetch = config.fetch;
  fetch.clock = clock;
  auto fetcher = spawn_schedule_fetcher(system, fetch, *client, {}, *sweep_client);
  if (!fetcher) return fetcher.error();
  node->fetcher_ = keep(*fetcher);

  auto notify = config.notify;
  notify.own_thread = true;
  auto notifier = spawn_notifier(system, std::move(notify), *delivery_client, node->fetcher_);
  if (!notifier) {
    node->stop();
    return in_setting("detector.data_dir", notifier.error());
  }
  keep(*notifier);

  const std::uint32_t shards =
      config.shards ? config.shards : std::max(1u, std::thread::hardware_concurrency());
  std::vector<load_detector_actor> detectors;
  for (std::uint32_t s = 0; s < shards; ++s) {
    // An adjuster per shard: a first detection plans every shard's proxies, seconds of
    // work at 100,000 devices, and the shards' plans then run side by side.
    auto plans = spawn_adjuster(
        system,
        adjuster_config{
            .detector_id = config.id, .mode = config.mode, .clock = clock, .own_thread = true},
        *notifier);
    if (!plans) {
      node->stop();
      return plans.error();
    }
    keep(*plans);
    auto detector = spawn_load_detector(system, load_detector_config{s, shards}, *plans);
    if (!detector) {
      node->stop();
      return detector.error();
    }
    detectors.push_back(keep(*detector));
  }
  caf::anon_send(node->fetcher_, detectors);

  auto registry_config = config.registry;
  const auto known_path = (std::filesystem::path(config.data_dir) / "known_nodes.sqlite3").string();
  auto known = read_known_nodes(known_path);
  if (!known) {
    node->stop();
    return in_setting("detector.data_dir", known.error());
  }
  registry_config.known_nodes = std::move(*known);
  // A failed write costs only the wait at the next restart: logged, not fatal.
  registry_config.remember = [known_path, log = config.registry.log](const auto& nodes) {
    auto err = write_known_nodes(known_path, nodes);
    if (!err) return;
    if (log)
      log(describe(err));
    else
      std::cerr << "headroom detector: " << describe(err) << "\n";
  };
  auto registry = spawn_node_registry(system, std::move(registry_config), node->fetcher_);
  if (!registry) {
    node->stop();
    return registry.error();
  }
  node->registry_ = keep(*registry);
  auto hub = bus::spawn_hub_bridge(system, context, *hub_config, node->registry_);
  if (!hub) {
    node->stop();
    return in_setting("bus.listen", hub.error());
  }
  keep(hub->bridge);
  node->router_endpoint_ = hub->router_endpoint;
  node->pub_endpoint_ = hub->pub_endpoint;

  status_reporter_config reporter{config.id, to_string(config.mode), clock.seconds(),
                                  std::chrono::seconds{2}};
  auto reporting = spawn_status_reporter(
      system, reporter,
      status_sources{node->registry_, node->fetcher_, detectors, *notifier, hub->bridge});
  if (!reporting) {
    node->stop();
    return reporting.error();
  }
  node->reporter_ = keep(*reporting);
  auto endpoint = status_endpoint::start(config.status, [n = node.get()] { return n->report(); });
  if (!endpoint) {
    node->stop();
    return invalid(endpoint.failure());
  }
  node->endpoint_ = std::move(*endpoint);
  return node;
}

detector_node::~detector_node() { stop(); }

std::optional<detector_report> detector_node::report(caf::timespan timeout) {
  std::optional<detector_report> out;
  caf::scoped_actor self{system_};
  self->request(reporter_, timeout, atom::status_v)
      .receive([&](detector_report& r) { out = std::move(r); }, [](const caf::error&) {});
  return out;
}

void detector_node::fetch_now() { caf::anon_send(fetcher_, atom::fetch_now_v); }

void detector_node::stop() {
  if (endpoint_) endpoint_->stop();
  if (actors_.empty()) return;
  // Waits for every actor to be gone, so that a detector started next on the same data
  // directory finds the outbox closed and the bus endpoints free.
  caf::scoped_actor self{system_};
  for (auto it = actors_.rbegin(); it != actors_.rend(); ++it) {
    self->monitor(*it);
    self->send_exit(*it, caf::exit_reason::user_shutdown);
  }
  for (std::size_t i = 0; i < actors_.size(); ++i)
    self->receive([](const caf::down_msg&) {}, caf::after(std::chrono::seconds{10}) >> [] {});
  actors_.clear();
}

}  // namespace headroom::detector
