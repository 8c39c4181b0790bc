#pragma once
// Runs the real distribution system on 127.0.0.1 port 0 over a real SQLite file in a
// fresh directory, with a clock the test sets.

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "distribution/service.hpp"
#include "distribution/store/store.hpp"
#include "domain/time.hpp"
#include "formats/fleet_writer.hpp"
#include "tests/support/http_client.hpp"

namespace headroom::test {

inline constexpr const char* test_token = "test-token-0123456789";

/// A small fleet: two proxies, two customers, five devices (one direct), two packages,
/// six jobs, two service schedules. Jobs j1..j4 sit behind px-a, j5 behind px-b; on px-a
/// (threshold 2) j1, j2 and j3 overlap in [10:05, 10:10), a load of 3.
inline domain::fleet small_fleet() {
  using domain::parse_rfc3339;
  domain::fleet f;
  const auto t = [](const char* text) { return *parse_rfc3339(text); };
  f.horizon = domain::interval{t("2026-12-01T00:00:00Z"), t("2026-12-02T00:00:00Z")};
  f.proxies = {{"px-a", 4, 2}, {"px-b", 4, 3}};
  f.customers = {
      {"acme", {"software_distribution", "counter_collection"}, "Europe/Berlin", {{120, 300}}},
      {"globex", {"software_distribution", "counter_collection"}, "UTC", {}}};
  const auto relayed = domain::monitoring_mode::proxy;
  f.devices = {{"d1", 0, relayed, {0}, "mfp-x"},
               {"d2", 0, relayed, {0}, "mfp-x"},
               {"d3", 0, relayed, {0}, "mfp-y"},
               {"d4", 1, relayed, {1}, "mfp-y"},
               {"d5", 1, domain::monitoring_mode::direct, {}, "mfp-x"}};
  f.packages = {{"fw-1", "1.0.0", 1000}, {"fw-2", "2.0.0", 2000}};
  f.jobs = {{"j1", 0, "fw-1", t("2026-12-01T10:00:00Z"), 600, std::nullopt, 0},
            {"j2", 1, "fw-1", t("2026-12-01T10:00:00Z"), 600, std::nullopt, 0},
            {"j3", 2, "fw-1", t("2026-12-01T10:05:00Z"), 600, t("2026-12-01T20:00:00Z"), 1},
            {"j4", 0, "fw-2", t("2026-12-01T14:00:00Z"), 300, std::nullopt, 0},
            {"j5", 3, "fw-2", t("2026-12-01T10:00:00Z"), 600, std::nullopt, 0},
            {"j6", 4, "fw-2", t("2026-12-01T10:00:00Z"), 600, std::nullopt, 0}};
  domain::service_schedule counters;
  counters.customer = 1;
  counters.service = "counter_collection";
  counters.first_start = t("2026-12-01T00:00:00Z");
  counters.every_s = 3600;
  counters.duration_s = 60;
  domain::service_schedule status;
  status.device = 3;
  status.service = "status_monitoring";
  status.first_start = t("2026-12-01T00:30:00Z");
  status.every_s = 7200;
  status.duration_s = 30;
  f.services = {counters, status};
  return f;
}

class server_fixture {
 public:
  server_fixture() {
    std::random_device seed;
    dir_ = std::filesystem::temp_directory_path() /
           ("headroom-distribution-test-" + std::to_string(seed()));
    std::filesystem::create_directories(dir_);
    start();
  }
  ~server_fixture() {
    service_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  server_fixture(const server_fixture&) = delete;
  server_fixture& operator=(const server_fixture&) = delete;

  /// Stops the server and closes the store, then opens both again on the same directory.
  void restart() {
    service_.reset();
    start();
  }

  void import_small_fleet() {
    const auto r = client().put("/api/v1/fleet", formats::fleet_to_json(small_fleet()));
    if (r.status != 200) throw std::runtime_error("fleet import failed: " + r.body);
  }

  [[nodiscard]] http_client client() const { return http_client(port_, test_token); }
  [[nodiscard]] http_client anonymous() const { return http_client(port_, ""); }
  distribution::distribution_service& service() { return *service_; }
  [[nodiscard]] std::uint16_t port() const { return port_; }

  /// The time the server reads; tests move it.
  std::atomic<domain::instant> now{*domain::parse_rfc3339("2026-11-30T12:00:00Z")};
  /// The zone the pages show times in; a test that changes it calls restart().
  std::string display_time_zone = "UTC";
  /// Changes the configuration before every (re)start; a test that sets it calls restart().
  std::function<void(distribution::distribution_config&)> configure;

  /// Every line the server logged so far (the server logs here, not to stderr).
  [[nodiscard]] std::string logs() const {
    std::lock_guard lock(log_->mutex);
    return log_->text;
  }

  distribution::distribution_config config() const {
    distribution::distribution_config c;
    c.listen = "127.0.0.1:0";
    c.data_dir = dir_.string();
    c.api_token = test_token;
    c.max_body_bytes = 64 * 1024;
    c.max_firmware_bytes = 256 * 1024;
    c.display_time_zone = display_time_zone;
    if (configure) configure(c);
    return c;
  }

 private:
  void start() {
    auto opened = distribution::distribution_service::open(
        config(),
        domain::wall_clock{[this] { return domain::wall_time{std::chrono::seconds{now.load()}}; }},
        [log = log_](const std::string& line) {
          std::lock_guard lock(log->mutex);
          log->text += line + "\n";
        });
    if (!opened) throw std::runtime_error("cannot open the service: " + opened.failure().detail);
    service_ = std::move(*opened);
    auto port = service_->start();
    if (!port) throw std::runtime_error("cannot start the service: " + port.failure().detail);
    port_ = *port;
  }

  struct captured_log {
    std::mutex mutex;
    std::string text;
  };

  std::filesystem::path dir_;
  std::shared_ptr<captured_log> log_ = std::make_shared<captured_log>();
  std::unique_ptr<distribution::distribution_service> service_;
  std::uint16_t port_ = 0;
};

}  // namespace headroom::test
