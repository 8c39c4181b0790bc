// The address classifier as a pure function: this is where non-loopback targets
// (private ranges, link-local, metadata addresses) are tested, since socket tests may
// only ever aim at loopback.
#define BOOST_TEST_MODULE relay address classifier
#include "relay/address_classifier.hpp"

#include <boost/test/unit_test.hpp>

using namespace headroom::relay;
namespace ip = boost::asio::ip;

namespace {
address_class of(const char* text) { return classify(ip::make_address(text)); }
}  // namespace

BOOST_AUTO_TEST_CASE(public_addresses_are_public) {
  for (const char* a :
       {"8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::1"})
    BOOST_TEST((of(a) == address_class::public_unicast), a);
}

BOOST_AUTO_TEST_CASE(private_and_local_ranges_are_refused_unless_named) {
  BOOST_TEST((of("10.1.2.3") == address_class::private_network));
  BOOST_TEST((of("172.16.0.1") == address_class::private_network));
  BOOST_TEST((of("172.31.255.255") == address_class::private_network));
  BOOST_TEST((of("172.32.0.1") == address_class::public_unicast));
  BOOST_TEST((of("192.168.1.1") == address_class::private_network));
  BOOST_TEST((of("100.64.0.1") == address_class::private_network));
  BOOST_TEST((of("169.254.169.254") == address_class::link_local));
  BOOST_TEST((of("127.0.0.1") == address_class::loopback));
  BOOST_TEST((of("127.255.0.9") == address_class::loopback));
  BOOST_TEST((of("0.0.0.0") == address_class::unspecified));
  BOOST_TEST((of("0.1.2.3") == address_class::unspecified));
  BOOST_TEST((of("224.0.0.1") == address_class::multicast));
  BOOST_TEST((of("255.255.255.255") == address_class::reserved));
  BOOST_TEST((of("240.0.0.1") == address_class::reserved));
  BOOST_TEST((of("198.18.0.1") == address_class::reserved));
  BOOST_TEST((of("192.0.2.1") == address_class::reserved));
  for (const char* a : {"10.0.0.1", "169.254.169.254", "127.0.0.1", "0.0.0.0", "192.168.0.1"})
    BOOST_TEST(refused_unless_named(of(a)), a);
}

BOOST_AUTO_TEST_CASE(ipv6_special_ranges) {
  BOOST_TEST((of("::1") == address_class::loopback));
  BOOST_TEST((of("::") == address_class::unspecified));
  BOOST_TEST((of("fe80::1") == address_class::link_local));
  BOOST_TEST((of("fd00::1") == address_class::private_network));
  BOOST_TEST((of("fc00::1") == address_class::private_network));
  BOOST_TEST((of("ff02::1") == address_class::multicast));
  BOOST_TEST((of("::ffff:127.0.0.1") == address_class::ipv4_mapped));
  BOOST_TEST((of("::ffff:8.8.8.8") == address_class::ipv4_mapped));
  BOOST_TEST((of("::127.0.0.1") == address_class::ipv4_mapped));
  BOOST_TEST((of("64:ff9b::a00:1") == address_class::reserved));
  BOOST_TEST((of("2002:a00:1::") == address_class::reserved));
  BOOST_TEST((of("2001:db8::1") == address_class::reserved));
}

BOOST_AUTO_TEST_CASE(only_canonical_dotted_quads_parse_as_ip) {
  ip::address out;
  BOOST_TEST(parse_canonical_ip("10.0.0.1", out));
  BOOST_TEST(out.to_string() == "10.0.0.1");
  BOOST_TEST(parse_canonical_ip("::1", out));
  for (const char* bad : {"010.0.0.1", "10.0.0", "10.0.0.256", "10.0.0.1.", "0x0a.0.0.1",
                          "167772161", "fe80::1%eth0", ""})
    BOOST_TEST(!parse_canonical_ip(bad, out), bad);
}

BOOST_AUTO_TEST_CASE(numeric_spellings_of_ipv4_are_obfuscations) {
  for (const char* tricky :
       {"2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "10.1",
        "0251.0376.0251.0376", "169.254.43518", "1.2.3.4.5", "evil.com.1"})
    BOOST_TEST(looks_like_obfuscated_ipv4(tricky), tricky);
  for (const char* fine : {"10.0.0.1", "dist.example.com", "a1.example", "0x.example.com"})
    BOOST_TEST(!looks_like_obfuscated_ipv4(fine), fine);
}
