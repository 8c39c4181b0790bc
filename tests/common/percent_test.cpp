#define BOOST_TEST_MODULE common_percent
#include "common/percent.hpp"

#include <boost/test/unit_test.hpp>

using namespace headroom::common;

BOOST_AUTO_TEST_CASE(hex_digits_in_either_case) {
  BOOST_TEST(hex_value('0') == 0);
  BOOST_TEST(hex_value('9') == 9);
  BOOST_TEST(hex_value('a') == 10);
  BOOST_TEST(hex_value('F') == 15);
  BOOST_TEST(hex_value('g') == -1);
  BOOST_TEST(hex_value(' ') == -1);
  BOOST_TEST(hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  BOOST_TEST(hex_encode("") == "");
}

BOOST_AUTO_TEST_CASE(decodes_escapes_and_refuses_malformed_ones) {
  BOOST_TEST(*percent_decode("pkg%2D7%2f1") == "pkg-7/1");
  BOOST_TEST(*percent_decode("a+b") == "a+b");
  BOOST_TEST(*percent_decode("a+b", true) == "a b");
  BOOST_TEST(*percent_decode("%41") == "A");
  BOOST_TEST(!percent_decode("%4"));
  BOOST_TEST(!percent_decode("a%"));
  BOOST_TEST(!percent_decode("%zz"));
}

BOOST_AUTO_TEST_CASE(encodes_all_but_the_unreserved_characters) {
  BOOST_TEST(percent_encode("AZaz09-._~") == "AZaz09-._~");
  BOOST_TEST(percent_encode("2026-12-08T01:00:00Z") == "2026-12-08T01%3A00%3A00Z");
  BOOST_TEST(percent_encode("a b/ä") == "a%20b%2F%C3%A4");
  BOOST_TEST(*percent_decode(percent_encode("any thing: 100%")) == "any thing: 100%");
}
