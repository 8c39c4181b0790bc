#define BOOST_TEST_MODULE relay device identity and configuration
#include "relay/device_identity.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>

#include "relay/relay_config.hpp"

using namespace headroom::relay;

BOOST_AUTO_TEST_CASE(base64_decodes_and_rejects_junk) {
  BOOST_TEST(*decode_base64("cHJpbnRlci0xOnNlY3JldA==") == "printer-1:secret");
  BOOST_TEST(*decode_base64("YQ==") == "a");
  BOOST_TEST(*decode_base64("YWI=") == "ab");
  BOOST_TEST(!decode_base64("YQ="));
  BOOST_TEST(!decode_base64("Y=Q="));
  BOOST_TEST(!decode_base64("YQ!="));
}

BOOST_AUTO_TEST_CASE(identity_prefers_proxy_user_then_address_map_then_address) {
  relay_config c;
  c.devices = {{"10.0.0.7", "printer-7"}};
  BOOST_TEST(*identify_device(std::string("Basic cHJpbnRlci0xOnNlY3JldA=="), "10.0.0.7", c) ==
             "printer-1");
  BOOST_TEST(*identify_device(std::nullopt, "10.0.0.7", c) == "printer-7");
  BOOST_TEST(*identify_device(std::nullopt, "10.0.0.8", c) == "10.0.0.8");
  BOOST_TEST(identify_device(std::string("Bearer abc"), "10.0.0.8", c).failure().status == 407);
  BOOST_TEST(identify_device(std::string("Basic !!!!"), "10.0.0.8", c).failure().status == 400);
}

BOOST_AUTO_TEST_CASE(auth_checks_the_password) {
  relay_config c;
  c.auth = true;
  c.credentials = {{"printer-1", "secret"}};
  BOOST_TEST(*identify_device(std::string("basic cHJpbnRlci0xOnNlY3JldA=="), "10.0.0.7", c) ==
             "printer-1");
  // printer-1:wrong
  BOOST_TEST(
      identify_device(std::string("Basic cHJpbnRlci0xOndyb25n"), "10.0.0.7", c).failure().status ==
      407);
  BOOST_TEST(identify_device(std::nullopt, "10.0.0.7", c).failure().status == 407);
}

namespace {
std::string write_file(const std::string& text) {
  static int n = 0;
  std::string path = "relay_config_test_" + std::to_string(n++) + ".toml";
  std::ofstream(path) << text;
  return path;
}
}  // namespace

BOOST_AUTO_TEST_CASE(config_file_overrides_defaults) {
  auto path = write_file(R"(
[relay]
listen = "127.0.0.1:0"
proxy_id = "site-a"
[admission]
capacity = 50
on_full = "queue"
queue_timeout_ms = 2000
[upstreams]
allow = ["dist.example.com:443", "127.0.0.1:8080"]
[identity]
devices = { "10.0.0.7" = "printer-7" }
[limits]
header_timeout_ms = 3000
)");
  auto c = load_relay_config(path);
  BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.failure().message()));
  BOOST_TEST(c->proxy_id == "site-a");
  BOOST_TEST(c->admission.capacity == 50u);
  BOOST_TEST(c->admission.threshold == 50u);  // defaults to the capacity
  BOOST_TEST((c->admission.on_full == on_full_policy::queue));
  BOOST_TEST(c->admission.queue_timeout.count() == 2000);
  BOOST_TEST(c->allow.size() == 2u);
  BOOST_TEST(c->devices.at("10.0.0.7") == "printer-7");
  BOOST_TEST(c->header_timeout.count() == 3000);
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(config_errors_name_the_key) {
  auto expect_error = [](const std::string& text, const std::string& needle) {
    auto path = write_file(text);
    auto c = load_relay_config(path);
    BOOST_TEST(!c.has_value(), text);
    if (!c)
      BOOST_TEST(c.failure().message().find(needle) != std::string::npos, c.failure().message());
    std::remove(path.c_str());
  };
  expect_error("[admission]\ncapacity = \"many\"\n", "admission.capacity");
  expect_error("[admission]\ncapacty = 5\n", "admission.capacty");
  expect_error("[admission]\non_full = \"drop\"\n", "on_full");
  expect_error("[upstreams]\nallow = [\"*:80\"]\n", "allow[0]");
  expect_error("[relay]\nlisten = \"localhost:80\"\n", "listen");
  expect_error("[nonsense]\n", "nonsense");
  expect_error("[admission\n", "relay_config_test");
  expect_error("[admission]\ncapacity = 5\nthreshold = 6\n", "threshold");
  expect_error("[identity]\nauth = true\n", "credentials");
}

BOOST_AUTO_TEST_CASE(bus_settings_default_the_pub_port_and_node_id) {
  auto path = write_file(R"(
[relay]
proxy_id = "site-a"
detector = "tcp://detector.example:7301"
[devices]
mode = "direct"
proxy = ["printer-1"]
models = { "printer-1" = "mx-3000" }
[bus]
heartbeat_interval_ms = 250
heartbeat_timeout_ms = 1000
buffer = 500
)");
  auto c = load_relay_config(path);
  BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.failure().message()));
  BOOST_TEST(c->detector_pub == "tcp://detector.example:7302");  // the next port
  BOOST_TEST(c->node_id == "site-a");                            // the proxy id
  BOOST_TEST((c->default_mode == headroom::domain::monitoring_mode::direct));
  BOOST_TEST(c->proxy_devices == std::vector<std::string>{"printer-1"});
  BOOST_TEST(c->device_models.at("printer-1") == "mx-3000");
  BOOST_TEST(c->heartbeat_interval.count() == 250);
  BOOST_TEST(c->bus_buffer == 500u);
  BOOST_TEST(c->package_path == "/firmware/");
  std::remove(path.c_str());

  relay_config explicit_pub;
  explicit_pub.detector = "ipc:///run/headroom/router";
  explicit_pub.detector_pub = "ipc:///run/headroom/pub";
  explicit_pub.node_id = "node-7";
  auto valid = validate(explicit_pub);
  BOOST_REQUIRE(valid.has_value());
  BOOST_TEST(valid->detector_pub == "ipc:///run/headroom/pub");
  BOOST_TEST(valid->node_id == "node-7");
}

BOOST_AUTO_TEST_CASE(bus_settings_refuse_what_a_node_cannot_connect_to) {
  auto refused = [](relay_config c, const std::string& needle) {
    auto valid = validate(std::move(c));
    BOOST_TEST(!valid.has_value(), needle);
    if (!valid)
      BOOST_TEST(valid.failure().message().find(needle) != std::string::npos,
                 valid.failure().message());
  };
  auto with_detector = [](const std::string& endpoint) {
    relay_config c;
    c.detector = endpoint;
    return c;
  };
  refused(with_detector("inproc://detector"),
          "detector: 'inproc://detector' is not a tcp://HOST:PORT or ipc://PATH");
  refused(with_detector("udp://127.0.0.1:7301"), "detector");
  refused(with_detector("127.0.0.1:7301"), "detector");
  refused(with_detector("tcp://127.0.0.1"), "is not tcp://HOST:PORT");
  refused(with_detector("tcp://127.0.0.1:0"), "is not 1..65535");
  refused(with_detector("tcp://127.0.0.1:*"), "is not 1..65535");
  refused(with_detector("tcp://127.0.0.1:65535"), "detector_pub: must be given");
  refused(with_detector("ipc:///run/router"),
          "detector_pub: must be given with an ipc:// detector");
  auto bad_pub = with_detector("tcp://127.0.0.1:7301");
  bad_pub.detector_pub = "pgm://x";
  refused(bad_pub, "detector_pub");
  relay_config pub_alone;
  pub_alone.detector_pub = "tcp://127.0.0.1:7302";
  refused(pub_alone, "detector_pub: is set but detector is not");
  relay_config slow;
  slow.heartbeat_timeout = slow.heartbeat_interval;
  refused(slow, "heartbeat_timeout");
  relay_config half_curve;
  half_curve.key_file = "node.key";
  refused(half_curve, "detector_key_file");
  relay_config both_modes;
  both_modes.direct_devices = {"printer-1"};
  both_modes.proxy_devices = {"printer-1"};
  refused(both_modes, "proxy: 'printer-1' is also listed as direct");
  relay_config bad_path;
  bad_path.package_path = "firmware";
  refused(bad_path, "package_path");
}

BOOST_AUTO_TEST_CASE(device_settings_errors_name_the_key) {
  auto path = write_file("[devices]\nmode = \"cloud\"\n");
  auto c = load_relay_config(path);
  BOOST_TEST(!c.has_value());
  if (!c)
    BOOST_TEST(c.failure().message().find("devices.mode") != std::string::npos,
               c.failure().message());
  std::remove(path.c_str());
}
