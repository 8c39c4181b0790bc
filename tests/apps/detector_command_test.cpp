// `headroom detector` and `headroom demo` as an operator runs them: the first stdout
// lines, the endpoints they print answering, a clean stop on SIGTERM, and bad settings
// refused by name.
#define BOOST_TEST_MODULE apps_detector_command
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <random>

#include "tests/support/child_process.hpp"

using namespace headroom;

namespace {

std::string scratch(const std::string& name) {
  std::random_device seed;
  return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(seed()))).string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(detector_prints_its_status_address_first_serves_it_and_stops_on_sigterm) {
  const auto dir = scratch("headroom-detector-cmd");
  // The distribution system is a closed loopback port: the detector must run regardless.
  test::child_process detector({"detector", "--config", HEADROOM_SOURCE_DIR "/config/detector.toml",
                                "--status", "127.0.0.1:0", "--bus", "tcp://127.0.0.1:*",
                                "--bus-publish", "tcp://127.0.0.1:*", "--distribution",
                                "http://127.0.0.1:9", "--api-token", "test-token-0123456789",
                                "--data-dir", dir});
  BOOST_REQUIRE(detector.started());
  const auto status = test::port_after(detector.line(), "status on http://127.0.0.1:");
  BOOST_REQUIRE(status > 0);
  BOOST_TEST(detector.line().rfind("bus on tcp://127.0.0.1:", 0) == 0u);
  const auto health = test::http_get(status, "/healthz");
  BOOST_TEST(health.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u, health);
  const auto report = test::http_get(status, "/status");
  BOOST_TEST(report.find("\"mode\": \"warn\"") != std::string::npos, report);
  BOOST_TEST(test::http_get(status, "/metrics").find("headroom_detector_up 1") !=
             std::string::npos);
  BOOST_TEST(test::http_get(status, "/nothing").rfind("HTTP/1.1 404", 0) == 0u);
  BOOST_TEST(detector.stop() == 0);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(detector_refuses_bad_settings_by_name) {
  int status = 0;
  auto out = test::run_to_end("detector --mode sometimes", status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("--mode") != std::string::npos, out);
  out = test::run_to_end("detector --distribution https://127.0.0.1:1", status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("distribution.url") != std::string::npos, out);
  out = test::run_to_end("detector --threshold 3 --threshold-ratio 0.5", status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("--threshold") != std::string::npos, out);
  out = test::run_to_end("detector --distribution http://127.0.0.1:1", status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("distribution.api_token") != std::string::npos, out);
  out = test::run_to_end("detector --horizon-start 2026-12-01T00:00:00Z", status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("--horizon-end") != std::string::npos, out);

  const auto bad = scratch("headroom-detector-bad") + ".toml";
  {
    std::FILE* f = std::fopen(bad.c_str(), "w");
    std::fputs("[fetch]\ninterval_ms = 1000\nintervall_ms = 5\n", f);
    std::fclose(f);
  }
  out = test::run_to_end("detector --config " + bad, status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("fetch.intervall_ms") != std::string::npos, out);
  BOOST_TEST(out.find("line 3") != std::string::npos, out);
  std::filesystem::remove(bad);
}

BOOST_AUTO_TEST_CASE(demo_listens_first_prints_the_login_and_stops_on_sigterm) {
  const auto dir = scratch("headroom-demo-cmd");
  test::child_process demo({"demo", "--fleet", HEADROOM_SOURCE_DIR "/config/sample-fleet.json",
                            "--listen", "127.0.0.1:0", "--data-dir", dir});
  BOOST_REQUIRE(demo.started());
  const auto port = test::port_after(demo.line(), "listening on http://127.0.0.1:");
  BOOST_REQUIRE(port > 0);
  BOOST_TEST(demo.line().rfind("operator login: operator / ", 0) == 0u);
  BOOST_TEST(test::http_get(port, "/healthz").rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
  BOOST_TEST(demo.stop() == 0);
  std::filesystem::remove_all(dir);
}
