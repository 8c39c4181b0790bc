#include "actors/sim/live_rig.hpp"

#include <caf/actor_system_config.hpp>
#include <filesystem>

#include "actors/detector/detector_node.hpp"
#include "actors/relay/relay_node.hpp"
#include "actors/type_registry.hpp"
#include "bus/errors.hpp"
#include "common/host_port.hpp"
#include "common/percent.hpp"
#include "detector/http_connection.hpp"
#include "distribution/crypto.hpp"
#include "distribution/service.hpp"
#include "distribution/store/store.hpp"
#include "sim/random.hpp"

namespace headroom::sim {
namespace {

domain::error failed(const std::string& what, const std::string& detail) {
  return domain::error{"", what + ": " + detail};
}

/// A package's synthetic image: bytes drawn from its id, the same on every run.
std::string image_of(const std::string& package, std::int64_t bytes) {
  std::uint64_t seed = 0xcbf29ce484222325ull;
  for (const unsigned char c : package) seed = (seed ^ c) * 0x100000001b3ull;
  sim::random random{seed};
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (std::size_t i = 0; i < out.size(); i += 8) {
    const auto word = random.next();
    for (std::size_t k = 0; k < 8 && i + k < out.size(); ++k)
      out[i + k] = static_cast<char>(word >> (8 * k));
  }
  return out;
}

}  // namespace

live_rig::live_rig() = default;
live_rig::~live_rig() { stop(); }

const std::string& live_rig::api_token() const { return service_->api_token(); }
std::uint16_t live_rig::detector_status_port() const { return detector_->status_port(); }

domain::expected<std::unique_ptr<live_rig>> live_rig::start(const domain::fleet& f,
                                                            const live_rig_config& config,
                                                            domain::wall_clock clock) {
  if (!distribution::crypto_ready()) return failed("libsodium", "cannot start");
  std::unique_ptr<live_rig> rig{new live_rig()};
  distribution::distribution_config dist;
  dist.listen = config.listen;
  dist.data_dir = (std::filesystem::path(config.data_dir) / "distribution").string();
  dist.api_token = config.api_token;
  dist.threads = 2;
  dist.display_time_zone = config.display_time_zone;
  auto service = distribution::distribution_service::open(dist, clock);
  if (!service) return failed(service.failure().path, service.failure().detail);
  rig->service_ = std::move(*service);
  if (auto imported = rig->service_->data().replace_fleet(f, clock.seconds()); !imported)
    return failed("importing the fleet", imported.failure().detail);
  auto port = rig->service_->start();
  if (!port) return failed(port.failure().path, port.failure().detail);
  const std::string host = common::parse_host_port(config.listen)->host;
  rig->addresses_.origin = {host, *port};
  rig->url_ = "http://" + common::format_host_port(host, *port);

  // Every package's image, uploaded as an operator would (PUT /firmware/{package}).
  detector::http_connection uploads(host, *port, {});
  for (const auto& p : f.packages) {
    const auto image = image_of(p.id, config.image_bytes);
    auto answer = uploads.send(detector::http_method::put,
                               "/firmware/" + common::percent_encode(p.id) +
                                   "?version=" + common::percent_encode(p.version),
                               image, {{"Authorization", "Bearer " + rig->service_->api_token()}});
    if (!answer) return failed("uploading the image of " + p.id, caf::to_string(answer.error()));
    if (answer->status != 200)
      return failed("uploading the image of " + p.id,
                    "answered " + std::to_string(answer->status) + ": " + answer->body);
    rig->images_[p.id] = {config.image_bytes, distribution::sha256_hex(image)};
  }

  rig->actor_config_ = std::make_unique<caf::actor_system_config>();
  actors::register_types(*rig->actor_config_);
  rig->system_ = std::make_unique<caf::actor_system>(*rig->actor_config_);
  rig->context_ = std::make_unique<zmq::context_t>(1);

  detector::detector_config d;
  d.id = "live-detector";
  d.mode = config.mode;
  d.distribution.url = rig->url_;
  d.distribution.api_token = rig->service_->api_token();
  d.data_dir = (std::filesystem::path(config.data_dir) / "detector").string();
  d.status = common::format_host_port(host, 0);
  d.bus = "tcp://" + common::format_host_port(host, 0);
  d.bus_publish = d.bus;
  d.heartbeat_interval = config.heartbeat_interval;
  d.fetch.interval = config.fetch_interval;
  d.fetch.backoff_min = config.fetch_interval;
  d.fetch.horizon = domain::effective_horizon(f);
  auto node = detector::detector_node::start(*rig->system_, *rig->context_, d, clock);
  if (!node) return failed("the detector", describe(node.error()));
  rig->detector_ = std::move(*node);

  // Any port of this host ("[::1]:*" for IPv6): the bracketed form of format_host_port.
  const auto bound = common::format_host_port(host, 0);
  const auto any_port = bound.substr(0, bound.rfind(':')) + ":*";
  rig->addresses_.relay_of_proxy.resize(f.proxies.size());
  rig->admins_.resize(f.proxies.size());
  for (std::size_t p = 0; p < f.proxies.size(); ++p) {
    relay::relay_config r;
    r.listen = common::format_host_port(host, 0);
    r.admin = common::format_host_port(host, 0);
    r.proxy_id = f.proxies[p].id;
    r.detector = rig->detector_->router_endpoint();
    r.detector_pub = rig->detector_->pub_endpoint();
    r.spool_dir = "";  // one process: the relays' events cannot outlive the detector's
    r.heartbeat_interval = config.heartbeat_interval;
    r.admission.capacity = static_cast<std::uint32_t>(f.proxies[p].capacity);
    r.admission.threshold = static_cast<std::uint32_t>(f.proxies[p].threshold);
    // The distribution system and the next relays of a chain, all on this host.
    r.allow = {any_port};
    for (const auto& device : f.devices)
      for (const auto hop : device.path)
        if (hop == p && !device.model.empty()) r.device_models[device.id] = device.model;
    relay::relay_bus_options options;
    options.software_version = "headroom-sim";
    auto relay = relay::relay_node::start(*rig->system_, std::move(r), clock, {}, options);
    if (!relay) return failed("the relay of " + f.proxies[p].id, describe(relay.error()));
    rig->addresses_.relay_of_proxy[p] = {host, (*relay)->port()};
    rig->admins_[p] = {host, (*relay)->admin_port()};
    rig->relays_.push_back(std::move(*relay));
  }
  return rig;
}

void live_rig::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& r : relays_) r->stop();
  relays_.clear();
  if (detector_) detector_->stop();
  detector_.reset();
  if (service_) service_->stop();
}

}  // namespace headroom::sim
