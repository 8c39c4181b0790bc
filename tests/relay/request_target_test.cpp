#define BOOST_TEST_MODULE relay request targets and allowlist
#include "relay/request_target.hpp"

#include <boost/test/unit_test.hpp>

#include "relay/allowlist.hpp"

using namespace headroom::relay;
namespace ip = boost::asio::ip;

BOOST_AUTO_TEST_CASE(absolute_form_yields_host_port_and_origin_form) {
  auto t = parse_absolute_target("http://Dist.Example.com:8080/fw/pkg.bin?v=2");
  BOOST_REQUIRE(t);
  BOOST_TEST(t->host == "dist.example.com");
  BOOST_TEST(t->port == 8080);
  BOOST_TEST(t->origin_form == "/fw/pkg.bin?v=2");
  auto d = parse_absolute_target("http://dist.example.com");
  BOOST_REQUIRE(d);
  BOOST_TEST(d->port == 80);
  BOOST_TEST(d->origin_form == "/");
  auto q = parse_absolute_target("http://dist.example.com?x");
  BOOST_REQUIRE(q);
  BOOST_TEST(q->origin_form == "/?x");
}

BOOST_AUTO_TEST_CASE(connect_needs_host_and_port) {
  auto t = parse_connect_target("dist.example.com:443");
  BOOST_REQUIRE(t);
  BOOST_TEST(t->authority() == "dist.example.com:443");
  BOOST_TEST(!parse_connect_target("dist.example.com"));
  BOOST_TEST(parse_connect_target("dist.example.com:0").failure().status == 400);
  BOOST_TEST(parse_connect_target("dist.example.com:65536").failure().status == 400);
  auto v6 = parse_connect_target("[2001:db8::1]:443");
  BOOST_REQUIRE(v6);
  BOOST_TEST(v6->authority() == "[2001:db8::1]:443");
}

BOOST_AUTO_TEST_CASE(targets_written_to_dodge_the_allowlist_get_403) {
  for (const char* t : {"http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
                        "http://127.1/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",
                        "http://allowed.example@evil.example/", "http://user:pw@dist.example.com/",
                        "http://[fe80::1%25eth0]/"}) {
    auto r = parse_absolute_target(t);
    BOOST_TEST(!r, t);
    if (!r) BOOST_TEST(r.failure().status == 403, t);
  }
}

BOOST_AUTO_TEST_CASE(malformed_targets_get_400) {
  for (const char* t : {"/relative", "https://dist.example.com/", "http://", "http://bad_name/",
                        "http://-a.example/", "http://a..b/", "http://dist.example.com/#frag",
                        "http://dist.example.com:x/", "ftp://a/"}) {
    auto r = parse_absolute_target(t);
    BOOST_TEST(!r, t);
    if (!r) BOOST_TEST(r.failure().status == 400, t);
  }
}

BOOST_AUTO_TEST_CASE(host_header_must_agree_with_the_target) {
  auto t = parse_absolute_target("http://dist.example.com/fw");
  BOOST_REQUIRE(t);
  BOOST_TEST(host_header_matches("dist.example.com", *t));
  BOOST_TEST(host_header_matches("DIST.example.com:80", *t));
  BOOST_TEST(!host_header_matches("evil.example", *t));
  BOOST_TEST(!host_header_matches("dist.example.com:8080", *t));
}

BOOST_AUTO_TEST_CASE(allowlist_matches_names_patterns_and_ports) {
  auto list = allowlist::parse({"dist.example.com:443", "*.cdn.example.com:*", "203.0.113.7:8080"});
  BOOST_REQUIRE(list);
  auto check = [&](const char* target) {
    return !list->check_target(*parse_connect_target(target));
  };
  BOOST_TEST(check("dist.example.com:443"));
  BOOST_TEST(!check("dist.example.com:80"));
  BOOST_TEST(check("eu.cdn.example.com:80"));
  BOOST_TEST(!check("cdn.example.com:80"));
  BOOST_TEST(!check("evilcdn.example.com:80"));
  BOOST_TEST(check("203.0.113.7:8080"));
  BOOST_TEST(!check("203.0.113.8:8080"));
  BOOST_TEST(!check("other.example:443"));
}

BOOST_AUTO_TEST_CASE(names_resolving_to_refused_addresses_get_403_unless_named) {
  auto list = allowlist::parse({"dist.example.com:443", "10.0.0.5:443"});
  BOOST_REQUIRE(list);
  auto target = *parse_connect_target("dist.example.com:443");
  BOOST_TEST(!list->check_resolved(target, ip::make_address("93.184.216.34")));
  for (const char* a : {"169.254.169.254", "10.0.0.6", "192.168.0.1", "127.0.0.1", "0.0.0.0", "::1",
                        "fe80::1", "::ffff:8.8.8.8"}) {
    auto refused = list->check_resolved(target, ip::make_address(a));
    BOOST_TEST(refused.has_value(), a);
    if (refused) BOOST_TEST(refused->status == 403, a);
  }
  BOOST_TEST(!list->check_resolved(target, ip::make_address("10.0.0.5")));
}

BOOST_AUTO_TEST_CASE(allowlist_refuses_catch_alls_and_bad_entries) {
  BOOST_TEST(!allowlist::parse({"*:443"}));
  BOOST_TEST(!allowlist::parse({"dist.example.com"}));
  BOOST_TEST(!allowlist::parse({"*.10.0.0.1:80"}));
  BOOST_TEST(!allowlist::parse({"[::ffff:10.0.0.1]:80"}));
  auto bad = allowlist::parse({"ok.example:80", "nope"});
  BOOST_REQUIRE(!bad);
  BOOST_TEST(bad.failure().where == "allow[1]");
}
