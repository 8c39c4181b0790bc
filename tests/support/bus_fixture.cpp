#include "tests/support/bus_fixture.hpp"

#include <caf/exit_reason.hpp>
#include <zmq_addon.hpp>

#include "actors/type_registry.hpp"

namespace headroom::test {

caf::behavior recorder(caf::event_based_actor* self, std::shared_ptr<event_log> log) {
  (void)self;
  auto from_node = [log](const char* kind) {
    return [log, kind](const std::string& node, messages::payload body) {
      log->add({kind, node, std::move(body)});
    };
  };
  auto broadcast = [log](const char* kind) {
    return [log, kind](messages::payload body) { log->add({kind, "", std::move(body)}); };
  };
  return {
      [f = from_node("node_hello")](const std::string& n, const messages::node_hello& x) {
        f(n, x);
      },
      [f = from_node("node_heartbeat")](const std::string& n, const messages::node_heartbeat& x) {
        f(n, x);
      },
      [f = from_node("devices_seen")](const std::string& n, const messages::devices_seen& x) {
        f(n, x);
      },
      [log](const std::string& n, const std::vector<messages::session_event>& events) {
        for (const auto& e : events) log->add({"session_event", n, e});
      },
      [f = from_node("observed_duration")](const std::string& n,
                                           const messages::observed_duration& x) { f(n, x); },
      [log](atom::node_up, const std::string& node) {
        log->add({"node_up", node, {}});
      },
      [log](atom::node_stale, const std::string& node) {
        log->add({"node_stale", node, {}});
      },
      [f = broadcast("overload_report")](const messages::overload_report& x) { f(x); },
      [f = broadcast("adjustment_plan")](const messages::adjustment_plan& x) { f(x); },
      [f = broadcast("detector_status")](const messages::detector_status& x) { f(x); },
      [log](atom::hub_up, const std::string& instance) {
        log->add({"hub_up", instance, {}});
      },
      [log](atom::hub_stale) {
        log->add({"hub_stale", "", {}});
      },
  };
}

bus_side::bus_side() : config_(std::make_unique<caf::actor_system_config>()) {
  actors::register_types(*config_);
  config_->set("scheduler.max-threads", 2);
  system_ = std::make_unique<caf::actor_system>(*config_);
  recorder_ = system_->spawn(recorder, log);
}

bus_side::~bus_side() {
  for (auto running = running_; const auto& actor : running) stop(actor);
  stop(recorder_);
}

bus::hub_endpoint bus_side::start_hub(zmq::context_t& context, bus::hub_config config) {
  auto hub = bus::spawn_hub_bridge(*system_, context, std::move(config), hub_listener());
  if (!hub) BOOST_FAIL("cannot start the hub: " << system_->render(hub.error()));
  running_.push_back(caf::actor_cast<caf::actor>(hub->bridge));
  return *hub;
}

bus::node_bridge_actor bus_side::start_node(zmq::context_t& context, bus::node_config config) {
  auto node = bus::spawn_node_bridge(*system_, context, std::move(config), node_listener());
  if (!node) BOOST_FAIL("cannot start the node: " << system_->render(node.error()));
  running_.push_back(caf::actor_cast<caf::actor>(*node));
  return *node;
}

void bus_side::stop(const caf::actor& actor) {
  caf::scoped_actor self{*system_};
  self->send_exit(actor, caf::exit_reason::user_shutdown);
  self->wait_for(actor);
  std::erase(running_, actor);
}

namespace {

template <class Handle>
bus::bridge_stats request_stats(caf::actor_system& system, const Handle& bridge) {
  caf::scoped_actor self{system};
  bus::bridge_stats result;
  self->request(bridge, deadline, atom::get_v)
      .receive(
          [&](const bus::bridge_stats& stats) { result = stats; },
          [&](const caf::error& e) { BOOST_FAIL("stats request failed: " << system.render(e)); });
  return result;
}

}  // namespace

bus::bridge_stats bus_side::stats(const bus::hub_bridge_actor& hub) {
  return request_stats(*system_, hub);
}
bus::bridge_stats bus_side::stats(const bus::node_bridge_actor& node) {
  return request_stats(*system_, node);
}

bus::hub_config fast_hub(std::string router, std::string pub) {
  bus::hub_config config;
  config.detector_id = "detector-test";
  config.router_endpoint = std::move(router);
  config.pub_endpoint = std::move(pub);
  config.heartbeat_interval = 20ms;
  config.heartbeat_timeout = 200ms;
  config.clock = domain::wall_clock::fixed(1'764'028'800);
  return config;
}

bus::node_config fast_node(const std::string& id, const bus::hub_endpoint& hub) {
  bus::node_config config;
  config.hello = {id, {"proxy-" + id}, 120, 100, "0.1.0", messages::protocol_major};
  config.router_endpoint = hub.router_endpoint;
  config.pub_endpoint = hub.pub_endpoint;
  config.heartbeat_interval = 20ms;
  config.heartbeat_timeout = 200ms;
  return config;
}

std::optional<fake_detector::received> fake_detector::receive() {
  std::vector<zmq::pollitem_t> items{{router.handle(), 0, ZMQ_POLLIN, 0}};
  zmq::poll(items, std::chrono::duration_cast<std::chrono::milliseconds>(deadline));
  if (!(items[0].revents & ZMQ_POLLIN)) return std::nullopt;
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(router, std::back_inserter(parts)) || parts.size() < 2)
    return std::nullopt;
  auto f = messages::decode(parts[1].to_string_view());
  if (!f) return std::nullopt;
  return received{parts[0].to_string(), std::move(*f)};
}

void fake_detector::send(const std::string& to, const std::string& bytes) {
  router.send(zmq::buffer(to), zmq::send_flags::sndmore);
  router.send(zmq::buffer(bytes), zmq::send_flags::none);
}

}  // namespace headroom::test
