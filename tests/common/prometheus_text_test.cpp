#define BOOST_TEST_MODULE common_prometheus_text
#include "common/prometheus_text.hpp"

#include <array>
#include <boost/test/unit_test.hpp>

using namespace headroom::common;

BOOST_AUTO_TEST_CASE(a_family_and_its_samples) {
  prometheus_text out;
  out.family("headroom_up", "gauge", "1 while it answers.");
  out.sample("headroom_up", 1);
  out.family("headroom_bytes_total", "counter", "Bytes relayed.");
  out.sample("headroom_bytes_total", {{"proxy", "p-1"}, {"direction", "in"}}, std::uint64_t{42});
  BOOST_TEST(out.text() ==
             "# HELP headroom_up 1 while it answers.\n"
             "# TYPE headroom_up gauge\n"
             "headroom_up 1\n"
             "# HELP headroom_bytes_total Bytes relayed.\n"
             "# TYPE headroom_bytes_total counter\n"
             "headroom_bytes_total{proxy=\"p-1\",direction=\"in\"} 42\n");
}

BOOST_AUTO_TEST_CASE(numbers_are_written_as_a_stream_writes_them) {
  prometheus_text out;
  out.sample("a", std::int64_t{-3});
  out.sample("b", std::uint64_t{18'446'744'073'709'551'615u});
  out.sample("c", 0.25);
  out.sample("d", 1234567.0);
  out.sample("e", 3.0);
  BOOST_TEST(out.text() == "a -3\nb 18446744073709551615\nc 0.25\nd 1.23457e+06\ne 3\n");
}

BOOST_AUTO_TEST_CASE(label_values_and_help_are_escaped) {
  prometheus_text out;
  out.family("x", "gauge", "a \\ b\nc \"d\"");
  out.sample("x", {{"id", "a\"b\\c\nd"}}, 1);
  BOOST_TEST(out.text() ==
             "# HELP x a \\\\ b\\nc \"d\"\n# TYPE x gauge\nx{id=\"a\\\"b\\\\c\\nd\"} 1\n");
}

BOOST_AUTO_TEST_CASE(a_histogram_has_cumulative_buckets_sum_and_count) {
  prometheus_text out;
  const std::array<double, 3> bounds{0.05, 1, 300};
  const std::array<std::uint64_t, 2> counts{1, 3};  // the last bound has none yet
  out.histogram("d_seconds", {{"proxy", "p"}}, bounds, counts, 4, 12.5);
  BOOST_TEST(out.text() ==
             "d_seconds_bucket{proxy=\"p\",le=\"0.05\"} 1\n"
             "d_seconds_bucket{proxy=\"p\",le=\"1\"} 3\n"
             "d_seconds_bucket{proxy=\"p\",le=\"300\"} 0\n"
             "d_seconds_bucket{proxy=\"p\",le=\"+Inf\"} 4\n"
             "d_seconds_sum{proxy=\"p\"} 12.5\n"
             "d_seconds_count{proxy=\"p\"} 4\n");
}
