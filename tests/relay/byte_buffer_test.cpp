#define BOOST_TEST_MODULE relay byte buffer
#include "relay/byte_buffer.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <random>
#include <string>

using namespace headroom::relay;

namespace {

constexpr std::size_t pool_buffer = 1024;

// Reads up to `n` bytes of `source` from `at` into the buffer, as a socket read would.
std::size_t read_into(byte_buffer& b, const std::string& source, std::size_t& at, std::size_t n) {
  auto [space, room] = b.prepare();
  auto take = std::min({n, room, source.size() - at});
  std::copy_n(source.data() + at, take, space);
  at += take;
  b.commit(take);
  return take;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_small_message_never_takes_a_pool_buffer) {
  buffer_pool pool{pool_buffer, 4};
  byte_buffer b{pool};
  std::string head = "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n";
  std::size_t at = 0;
  read_into(b, head, at, head.size());
  BOOST_TEST(!b.pooled());
  BOOST_TEST(b.data() == head);
  b.consume(head.size());
  b.release_if_empty();
  BOOST_TEST(!b.pooled());
  BOOST_TEST(b.prepare().second > head.size());
}

BOOST_AUTO_TEST_CASE(a_read_that_fills_the_landing_moves_the_bytes_to_the_pool) {
  buffer_pool pool{pool_buffer, 4};
  byte_buffer b{pool};
  std::string stream(3000, 'x');
  for (std::size_t i = 0; i < stream.size(); ++i) stream[i] = static_cast<char>('a' + i % 26);
  std::size_t at = 0;
  auto first = read_into(b, stream, at, stream.size());
  BOOST_TEST(b.pooled());
  BOOST_TEST(b.data() == stream.substr(0, first));
  BOOST_TEST(b.prepare().second == pool_buffer - first);
  read_into(b, stream, at, stream.size());
  BOOST_TEST(b.full());
  BOOST_TEST(b.data() == stream.substr(0, pool_buffer));
  b.consume(10);
  b.release_if_empty();  // bytes pending: kept
  BOOST_TEST(b.pooled());
  BOOST_TEST(b.data() == stream.substr(10, pool_buffer - 10));
  b.discard();
  b.release_if_empty();
  BOOST_TEST(!b.pooled());
}

BOOST_AUTO_TEST_CASE(random_reads_and_consumes_keep_every_byte_in_order) {
  std::mt19937 rng{7};
  buffer_pool pool{pool_buffer, 2};
  for (int round = 0; round < 200; ++round) {
    byte_buffer b{pool};
    std::string source(20000, '\0');
    for (auto& c : source) c = static_cast<char>(rng());
    std::size_t read = 0;
    std::size_t consumed = 0;
    while (consumed < source.size()) {
      if (read < source.size() && !b.full() && rng() % 2 == 0) {
        read_into(b, source, read, 1 + rng() % 1500);
      } else if (!b.empty()) {
        auto n = 1 + rng() % b.size();
        BOOST_REQUIRE(b.data().substr(0, n) == std::string_view(source).substr(consumed, n));
        b.consume(n);
        consumed += n;
        if (b.empty() && rng() % 3 == 0) b.release_if_empty();
      }
      BOOST_REQUIRE(b.size() == read - consumed);
      BOOST_REQUIRE(b.size() <= pool_buffer);
    }
  }
}
