#include "tests/support/e2e_fixture.hpp"

#include <caf/send.hpp>
#include <random>
#include <stdexcept>
#include <thread>

#include "bus/errors.hpp"
#include "common/system_wall_clock.hpp"
#include "detector/window_records.hpp"
#include "distribution/store/store.hpp"
#include "distribution_api/json.hpp"
#include "domain/counting.hpp"
#include "domain/detection.hpp"
#include "sim/fleet_generator.hpp"
#include "sim/fleet_nodes.hpp"

namespace headroom::test {
namespace {

constexpr const char* token = "e2e-token-0123456789";

domain::fleet generated_fleet() {
  sim::fleet_generator_config c;
  c.devices = 240;
  c.proxies = 3;
  c.customers = 3;
  c.days = 2;
  c.seed = 3;
  return sim::generate_fleet(c);
}

windows_by_proxy check_windows(const domain::fleet& f) {
  const auto counting = domain::count_communications(f);
  const auto found =
      domain::detect(f, counting, domain::requested_schedule(f), domain::effective_horizon(f));
  std::map<std::string, std::vector<domain::overload_window>> grouped;
  for (const auto& w : found.windows) grouped[f.proxies[w.proxy].id].push_back(w);
  windows_by_proxy out;
  for (const auto& [proxy, windows] : grouped) out[proxy] = detector::window_records(f, windows);
  return out;
}

}  // namespace

e2e_fixture::e2e_fixture() : fleet(generated_fleet()), expected(check_windows(fleet)) {
  std::random_device seed;
  dir_ = std::filesystem::temp_directory_path() / ("headroom-e2e-" + std::to_string(seed()));
  std::filesystem::create_directories(dir_);
  start_distribution();
  if (auto imported = service_->data().replace_fleet(fleet, common::system_wall_clock().seconds());
      !imported)
    throw std::runtime_error("import: " + imported.failure().detail);
  system_ = std::make_unique<caf::actor_system>(actor_config_);
}

e2e_fixture::~e2e_fixture() {
  for (auto& n : nodes_) caf::anon_send_exit(n, caf::exit_reason::user_shutdown);
  stop_detector();
  system_.reset();
  stop_distribution();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void e2e_fixture::start_distribution() {
  distribution::distribution_config c;
  c.listen = "127.0.0.1:" + std::to_string(port_);
  c.data_dir = (dir_ / "distribution").string();
  c.api_token = token;
  auto opened = distribution::distribution_service::open(c, common::system_wall_clock());
  if (!opened) throw std::runtime_error("distribution: " + opened.failure().detail);
  service_ = std::move(*opened);
  auto port = service_->start();
  if (!port) throw std::runtime_error("distribution start: " + port.failure().detail);
  port_ = *port;
}

void e2e_fixture::stop_distribution() {
  if (!service_) return;
  service_->stop();
  service_.reset();
}

void e2e_fixture::start_detector(detector::detector_mode mode) {
  detector::detector_config c;
  c.id = "e2e-detector";
  c.mode = mode;
  c.distribution.url = "http://127.0.0.1:" + std::to_string(port_);
  c.distribution.api_token = token;
  c.data_dir = (dir_ / "detector").string();
  c.status = "127.0.0.1:0";
  c.bus = router_endpoint_;
  c.bus_publish = pub_endpoint_;
  c.heartbeat_interval = std::chrono::milliseconds{100};
  c.heartbeat_timeout = std::chrono::milliseconds{2000};
  c.distribution.request_timeout = std::chrono::milliseconds{3000};
  c.fetch.interval = std::chrono::milliseconds{500};
  c.fetch.backoff_min = std::chrono::milliseconds{100};
  c.fetch.backoff_max = std::chrono::milliseconds{500};
  c.fetch.breaker_open_for = std::chrono::milliseconds{500};
  c.notify.backoff_min = std::chrono::milliseconds{100};
  c.notify.backoff_max = std::chrono::milliseconds{500};
  c.shards = 2;
  c.fetch.horizon = domain::effective_horizon(fleet);
  auto node = detector::detector_node::start(*system_, context_, c, common::system_wall_clock());
  if (!node) throw std::runtime_error("detector: " + describe(node.error()));
  detector_ = std::move(*node);
  // A restarted detector binds where the nodes already connect.
  router_endpoint_ = detector_->router_endpoint();
  pub_endpoint_ = detector_->pub_endpoint();
}

void e2e_fixture::stop_detector() {
  if (!detector_) return;
  detector_->stop();
  detector_.reset();
}

void e2e_fixture::start_nodes() {
  sim::fleet_nodes_config c{router_endpoint_, pub_endpoint_, std::chrono::milliseconds{100},
                            std::chrono::milliseconds{2000}};
  auto nodes = sim::spawn_fleet_nodes(
      *system_, context_, c, sim::announcements_of(fleet, common::system_wall_clock().seconds()));
  if (!nodes) throw std::runtime_error("nodes: " + nodes.failure().message());
  for (auto& n : *nodes) nodes_.push_back(caf::actor_cast<caf::actor>(n));
}

windows_by_proxy e2e_fixture::detector_windows() {
  auto report = detector_->report();
  if (!report || !report->windows) return {};
  return report->windows->by_proxy;
}

std::vector<std::vector<distribution_api::window_record>> e2e_fixture::notifications(
    const std::string& proxy) {
  std::vector<std::vector<distribution_api::window_record>> out;
  auto page = service_->data().notifications(proxy, -1, 1000);
  if (!page) throw std::runtime_error("notifications: " + page.failure().detail);
  for (const auto& event : page->items) {
    auto note = distribution_api::read_notification(event.body);
    if (!note) throw std::runtime_error("bad notification: " + note.failure().message());
    out.push_back(std::move(note->windows));
  }
  std::reverse(out.begin(), out.end());  // The store lists newest first.
  return out;
}

std::int64_t e2e_fixture::adjustments() {
  auto page = service_->data().adjustments(-1, 1000);
  if (!page) throw std::runtime_error("adjustments: " + page.failure().detail);
  return static_cast<std::int64_t>(page->items.size());
}

}  // namespace headroom::test
