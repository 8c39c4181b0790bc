#include "distribution/config.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "common/host_port.hpp"

namespace headroom::test {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(distribution_config)

BOOST_AUTO_TEST_CASE(the_example_file_loads_and_validates) {
  auto c = distribution::read_distribution_config(HEADROOM_SOURCE_DIR "/config/distribution.toml");
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->listen == "127.0.0.1:8080");
  BOOST_TEST(distribution::validate(*c).has_value());
  // The example states the defaults.
  const distribution::distribution_config defaults;
  BOOST_TEST(c->idempotency_key_hours == defaults.idempotency_key_hours);
  BOOST_TEST(c->login_failures_per_account == defaults.login_failures_per_account);
  BOOST_TEST(c->login_failures_per_address == defaults.login_failures_per_address);
  BOOST_TEST(c->login_window_seconds == defaults.login_window_seconds);
  BOOST_TEST(c->login_tracked_keys == defaults.login_tracked_keys);
  BOOST_TEST(c->secure_cookies == defaults.secure_cookies);
  BOOST_TEST(c->trusted_proxies.empty());
}

BOOST_AUTO_TEST_CASE(values_override_the_defaults) {
  auto c = distribution::read_distribution_config(
      write_temp("headroom-config-a.toml",
                 "[server]\nlisten = \"127.0.0.1:0\"\nthreads = 4\n[store]\ndata_dir = \"/x\"\n"));
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->threads == 4);
  BOOST_TEST(c->data_dir == "/x");
  BOOST_TEST(c->page_size == 100);
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_wrong_types_name_the_key) {
  auto typo = distribution::read_distribution_config(
      write_temp("headroom-config-b.toml", "[server]\nlisten_on = \"x\"\n"));
  BOOST_REQUIRE(!typo.has_value());
  BOOST_TEST(typo.failure().where == "server.listen_on");
  auto type = distribution::read_distribution_config(
      write_temp("headroom-config-c.toml", "[server]\nthreads = \"two\"\n"));
  BOOST_REQUIRE(!type.has_value());
  BOOST_TEST(type.failure().where == "server.threads");
  auto syntax =
      distribution::read_distribution_config(write_temp("headroom-config-d.toml", "[server\n"));
  BOOST_REQUIRE(!syntax.has_value());
  BOOST_TEST(syntax.failure().where.find(":1:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(validation_names_the_bad_key) {
  distribution::distribution_config c;
  c.listen = "127.0.0.1:99999";
  BOOST_TEST(distribution::validate(c).failure().where == "listen");
  c = {};
  c.threads = 0;
  BOOST_TEST(distribution::validate(c).failure().where == "server.threads");
  c = {};
  c.api_token = "short";
  BOOST_TEST(distribution::validate(c).failure().where == "auth.api_token");
  c = {};
  c.login_failures_per_account = 0;
  BOOST_TEST(distribution::validate(c).failure().where == "auth.login_failures_per_account");
  c = {};
  c.login_window_seconds = 0;
  BOOST_TEST(distribution::validate(c).failure().where == "auth.login_window_seconds");
  c = {};
  c.login_tracked_keys = 1;
  BOOST_TEST(distribution::validate(c).failure().where == "auth.login_tracked_keys");
  c = {};
  c.trusted_proxies = {"proxy.example"};
  BOOST_TEST(distribution::validate(c).failure().where == "server.trusted_proxies");
  c.trusted_proxies = {"10.0.0.1", "::1"};
  BOOST_TEST(distribution::validate(c).has_value());
  c = {};
  c.idempotency_key_hours = 0;
  BOOST_TEST(distribution::validate(c).failure().where == "server.idempotency_key_hours");
  c = {};
  c.display_time_zone = "Europe/Pariss";
  BOOST_TEST(distribution::validate(c).failure().where == "pages.display_time_zone");
  BOOST_TEST(distribution::validate(c).failure().what.find("'Europe/Pariss'") != std::string::npos);
  c.display_time_zone = "Europe/Paris";
  BOOST_TEST(distribution::validate(c).has_value());
  auto e = common::parse_host_port("[::1]:8080");
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->host == "::1");
  BOOST_TEST(e->port == 8080);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
