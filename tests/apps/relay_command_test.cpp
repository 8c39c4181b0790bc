// `headroom relay` as an operator runs it: the first stdout lines, the admin endpoint,
// a clean stop on SIGTERM, and refusals of bad settings that name the setting.
#define BOOST_TEST_MODULE apps_relay_command
#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/support/child_process.hpp"

using namespace headroom;

namespace {

test::child_process start_relay(const std::string& config) {
  return test::child_process({"relay", "--config", config, "--listen", "127.0.0.1:0", "--admin",
                              "127.0.0.1:0", "--allow", "127.0.0.1:9"});
}

std::uint16_t port_of(const std::string& line, const std::string& prefix) {
  const auto port = test::port_after(line, prefix);
  BOOST_REQUIRE_MESSAGE(port > 0, "'" + line + "' does not start with '" + prefix + "'");
  return port;
}

}  // namespace

BOOST_AUTO_TEST_CASE(prints_its_addresses_first_serves_admin_and_stops_on_sigterm) {
  auto relay = start_relay(HEADROOM_SOURCE_DIR "/config/relay.toml");
  auto listening = port_of(relay.line(), "listening on http://127.0.0.1:");
  auto admin = port_of(relay.line(), "admin on http://127.0.0.1:");
  BOOST_TEST(listening > 0);
  const auto answer = test::http_get(admin, "/healthz");
  BOOST_TEST(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
  BOOST_TEST(answer.substr(answer.size() - 3) == "ok\n");
  BOOST_TEST(relay.stop() == 0);
}

BOOST_AUTO_TEST_CASE(bad_settings_are_refused_by_name) {
  int status = 0;
  auto out = test::run_to_end("relay --capacity 0", status);
  BOOST_TEST(status == 2);
  BOOST_TEST(out.find("capacity") != std::string::npos, out);
  out = test::run_to_end("relay --allow '*:80'", status);
  BOOST_TEST(status == 2);
  BOOST_TEST(out.find("open proxy") != std::string::npos, out);
  out = test::run_to_end("relay --on-full drop", status);
  BOOST_TEST(status != 0);
  out = test::run_to_end("relay --listen 127.0.0.1:99999", status);
  BOOST_TEST(status == 2);
  BOOST_TEST(out.find("listen") != std::string::npos, out);
}
