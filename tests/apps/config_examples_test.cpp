// The example files in config/, one per role, read by each role's own reader: they load
// without error (every key in them is a real setting), they validate, and every value
// they show is the default the configuration struct declares — so that the file a new
// operator copies says what the program does when a key is left out.
#define BOOST_TEST_MODULE config examples
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "actors/detector/detector_config.hpp"
#include "distribution/config.hpp"
#include "relay/relay_config.hpp"

using namespace headroom;

namespace {

const std::string examples = HEADROOM_SOURCE_DIR "/config/";

}  // namespace

BOOST_AUTO_TEST_CASE(the_detector_example_loads_validates_and_shows_the_defaults) {
  auto read = detector::read_detector_config(examples + "detector.toml");
  BOOST_REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.failure().message()));
  const detector::detector_config d;
  const auto& c = *read;
  BOOST_TEST(c.id == d.id);
  BOOST_TEST((c.mode == d.mode));
  BOOST_TEST(c.data_dir == d.data_dir);
  BOOST_TEST(c.status == d.status);
  BOOST_TEST(c.bus == d.bus);
  BOOST_TEST(c.bus.rfind("tcp://", 0) == 0u);
  BOOST_TEST(c.bus_publish == d.bus_publish);
  BOOST_TEST(c.heartbeat_interval.count() == d.heartbeat_interval.count());
  BOOST_TEST(c.heartbeat_timeout.count() == d.heartbeat_timeout.count());
  BOOST_TEST(c.key_file == d.key_file);
  BOOST_TEST(c.allowlist_file == d.allowlist_file);
  BOOST_TEST(c.distribution.url == d.distribution.url);
  BOOST_TEST(c.distribution.api_token == d.distribution.api_token);
  BOOST_TEST(c.distribution.request_timeout.count() == d.distribution.request_timeout.count());
  BOOST_TEST(c.fetch.interval.count() == d.fetch.interval.count());
  BOOST_TEST(c.fetch.backoff_min.count() == d.fetch.backoff_min.count());
  BOOST_TEST(c.fetch.backoff_max.count() == d.fetch.backoff_max.count());
  BOOST_TEST(c.fetch.breaker_failures == d.fetch.breaker_failures);
  BOOST_TEST(c.fetch.breaker_open_for.count() == d.fetch.breaker_open_for.count());
  BOOST_TEST(c.fetch.full_refresh_every == d.fetch.full_refresh_every);
  BOOST_TEST(c.fetch.horizon_days == d.fetch.horizon_days);
  BOOST_TEST(!c.fetch.horizon.has_value());
  BOOST_TEST(!c.fetch.thresholds.absolute.has_value());
  BOOST_TEST(!c.fetch.thresholds.ratio.has_value());
  BOOST_TEST(c.shards == d.shards);
  BOOST_TEST(c.registry.proxies == d.registry.proxies);
  BOOST_TEST(c.notify.backoff_min.count() == d.notify.backoff_min.count());
  BOOST_TEST(c.notify.backoff_max.count() == d.notify.backoff_max.count());
  // The one setting without a default: the distribution system's token.
  auto with_token = c;
  with_token.distribution.api_token = "a-token-of-sixteen-characters";
  auto valid = detector::validate(with_token);
  BOOST_TEST(valid.has_value(), (valid ? "" : valid.failure().message()));
}

BOOST_AUTO_TEST_CASE(the_relay_example_loads_validates_and_shows_the_defaults) {
  auto read = relay::read_relay_config(examples + "relay.toml");
  BOOST_REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.failure().message()));
  const relay::relay_config d;
  const auto& c = *read;
  BOOST_TEST(c.listen == d.listen);
  BOOST_TEST(c.admin == d.admin);
  BOOST_TEST(c.proxy_id == d.proxy_id);
  BOOST_TEST(c.detector == d.detector);
  BOOST_TEST(c.detector_pub == d.detector_pub);
  BOOST_TEST(c.node_id == d.node_id);
  BOOST_TEST(c.io_threads == d.io_threads);
  BOOST_TEST(c.admission.capacity == d.admission.capacity);
  BOOST_TEST(c.admission.threshold == d.admission.threshold);
  BOOST_TEST(c.admission.per_device_connections == d.admission.per_device_connections);
  BOOST_TEST((c.admission.on_full == d.admission.on_full));
  BOOST_TEST(c.admission.queue_limit == d.admission.queue_limit);
  BOOST_TEST(c.admission.queue_timeout.count() == d.admission.queue_timeout.count());
  BOOST_TEST(c.admission.retry_after_seconds == d.admission.retry_after_seconds);
  BOOST_TEST(c.allow == d.allow);
  BOOST_TEST(c.auth == d.auth);
  BOOST_TEST(c.credentials == d.credentials);
  BOOST_TEST(c.devices == d.devices);
  BOOST_TEST((c.default_mode == d.default_mode));
  BOOST_TEST(c.direct_devices == d.direct_devices);
  BOOST_TEST(c.proxy_devices == d.proxy_devices);
  BOOST_TEST(c.device_models == d.device_models);
  BOOST_TEST(c.heartbeat_interval.count() == d.heartbeat_interval.count());
  BOOST_TEST(c.heartbeat_timeout.count() == d.heartbeat_timeout.count());
  BOOST_TEST(c.bus_buffer == d.bus_buffer);
  BOOST_TEST(c.spool_dir == d.spool_dir);
  BOOST_TEST(c.package_path == d.package_path);
  BOOST_TEST(c.key_file == d.key_file);
  BOOST_TEST(c.detector_key_file == d.detector_key_file);
  BOOST_TEST(c.limits.max_request_line == d.limits.max_request_line);
  BOOST_TEST(c.limits.max_head_bytes == d.limits.max_head_bytes);
  BOOST_TEST(c.limits.max_headers == d.limits.max_headers);
  BOOST_TEST(c.header_timeout.count() == d.header_timeout.count());
  BOOST_TEST(c.header_idle_timeout.count() == d.header_idle_timeout.count());
  BOOST_TEST(c.keepalive_timeout.count() == d.keepalive_timeout.count());
  BOOST_TEST(c.connect_timeout.count() == d.connect_timeout.count());
  BOOST_TEST(c.response_timeout.count() == d.response_timeout.count());
  BOOST_TEST(c.idle_timeout.count() == d.idle_timeout.count());
  BOOST_TEST(c.max_connections == d.max_connections);
  BOOST_TEST(c.buffer_size == d.buffer_size);
  BOOST_TEST(c.transfer_report_bytes == d.transfer_report_bytes);
  auto valid = relay::validate(c);
  BOOST_TEST(valid.has_value(), (valid ? "" : valid.failure().message()));
}

BOOST_AUTO_TEST_CASE(the_distribution_example_loads_validates_and_shows_the_defaults) {
  auto read = distribution::read_distribution_config(examples + "distribution.toml");
  BOOST_REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.failure().message()));
  const distribution::distribution_config d;
  const auto& c = *read;
  BOOST_TEST(c.listen == d.listen);
  BOOST_TEST(c.data_dir == d.data_dir);
  BOOST_TEST(c.api_token == d.api_token);
  BOOST_TEST(c.threads == d.threads);
  BOOST_TEST(c.max_body_bytes == d.max_body_bytes);
  BOOST_TEST(c.max_fleet_bytes == d.max_fleet_bytes);
  BOOST_TEST(c.max_firmware_bytes == d.max_firmware_bytes);
  BOOST_TEST(c.page_size == d.page_size);
  BOOST_TEST(c.max_page_size == d.max_page_size);
  BOOST_TEST(c.session_hours == d.session_hours);
  BOOST_TEST(c.display_time_zone == d.display_time_zone);
  auto valid = distribution::validate(c);
  BOOST_TEST(valid.has_value(), (valid ? "" : valid.failure().message()));
}

BOOST_AUTO_TEST_CASE(the_detectors_owned_proxies_are_read_and_validated_by_name) {
  const auto path = std::filesystem::temp_directory_path() / "headroom-owned-proxies.toml";
  {
    std::ofstream f(path);
    f << "[distribution]\napi_token = \"a-token-of-sixteen-characters\"\n"
      << "[detection]\nproxies = [\"px-a\", \"px-b\", \"px-a\"]\n";
  }
  auto read = detector::read_detector_config(path.string());
  BOOST_REQUIRE(read.has_value());
  BOOST_TEST((read->registry.proxies == std::vector<std::string>{"px-a", "px-b", "px-a"}));
  auto valid = detector::validate(*read);
  BOOST_REQUIRE(!valid.has_value());
  BOOST_TEST(valid.failure().where == "detection.proxies");
  std::filesystem::remove(path);
}
