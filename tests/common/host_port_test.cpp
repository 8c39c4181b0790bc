#define BOOST_TEST_MODULE common_host_port
#include "common/host_port.hpp"

#include <boost/test/unit_test.hpp>

using namespace headroom::common;

BOOST_AUTO_TEST_CASE(splits_host_and_port) {
  auto v4 = parse_host_port("127.0.0.1:8080");
  BOOST_REQUIRE(v4.has_value());
  BOOST_TEST(v4->host == "127.0.0.1");
  BOOST_TEST(v4->port == 8080);
  auto name = parse_host_port("dist.example.com:0");
  BOOST_REQUIRE(name.has_value());
  BOOST_TEST(name->host == "dist.example.com");
  BOOST_TEST(name->port == 0);
}

BOOST_AUTO_TEST_CASE(an_ipv6_host_goes_in_brackets) {
  auto v6 = parse_host_port("[::1]:8080");
  BOOST_REQUIRE(v6.has_value());
  BOOST_TEST(v6->host == "::1");
  BOOST_TEST(v6->port == 8080);
  BOOST_TEST(parse_host_port("::1:8080").failure().what.find("in brackets") != std::string::npos);
  BOOST_TEST(!parse_host_port("[::1:8080"));
  BOOST_TEST(!parse_host_port("[::1]8080"));
  BOOST_TEST(!parse_host_port("[::1]"));
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_host_colon_port) {
  BOOST_TEST(parse_host_port("localhost").failure().what == "'localhost' is not HOST:PORT");
  BOOST_TEST(!parse_host_port(":80"));
  BOOST_TEST(!parse_host_port("[]:80"));
  BOOST_TEST(!parse_host_port("host:"));
  BOOST_TEST(!parse_host_port("host:8o"));
  BOOST_TEST(!parse_host_port("host:+80"));
  BOOST_TEST(!parse_host_port("host:000080"));
}

BOOST_AUTO_TEST_CASE(the_port_is_within_the_range_asked_for) {
  BOOST_TEST(parse_host_port("h:99999").failure().what ==
             "port '99999' in 'h:99999' is not 0..65535");
  BOOST_TEST(parse_host_port("h:0", {1, 65535}).failure().what ==
             "port '0' in 'h:0' is not 1..65535");
  BOOST_TEST(parse_host_port("h:65535", {1, 65535})->port == 65535);
  BOOST_TEST(parse_port("65535").value() == 65535);
  BOOST_TEST(!parse_port("65536"));
  BOOST_TEST(!parse_port(""));
}

BOOST_AUTO_TEST_CASE(formats_urls_with_ipv6_in_brackets) {
  BOOST_TEST(format_host_port("127.0.0.1", 80) == "127.0.0.1:80");
  BOOST_TEST(format_host_port("::1", 9300) == "[::1]:9300");
  BOOST_TEST(format_host_port("dist.example.com", 443) == "dist.example.com:443");
}
