// The node's events spool on its own: what a restarted relay finds in it, its bound, a
// torn last record, and the lock that keeps two processes off one file.
#define BOOST_TEST_MODULE event spool
#include "bus/event_spool.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/scratch_dir.hpp"
#include "tests/support/wire_samples.hpp"

using namespace headroom;

namespace {

messages::payload event(const std::string& instance, std::uint64_t seq) {
  auto e = test::sample_session_event();
  e.instance = instance;
  e.event_seq = seq;
  return e;
}

std::vector<std::uint64_t> seqs(const bus::event_spool& spool) {
  std::vector<std::uint64_t> out;
  for (const auto& e : spool.events()) out.push_back(e.seq);
  return out;
}

/// Leaves a spool file at PATH holding instance "a"'s events 1..COUNT, closed.
void write_spool(const std::filesystem::path& path, std::size_t bound, std::uint64_t count) {
  auto spool = bus::event_spool::open(path, bound, "node-1");
  BOOST_TEST_REQUIRE(spool.has_value());
  for (std::uint64_t i = 1; i <= count; ++i) spool->append(event("a", i));
}

}  // namespace

BOOST_AUTO_TEST_CASE(kept_events_survive_a_reopen_and_acked_ones_do_not) {
  test::scratch_dir dir;
  const auto path = dir.file("relay/node-1.spool");
  {
    auto spool = bus::event_spool::open(path, 100, "node-1");
    BOOST_TEST_REQUIRE(spool.has_value(), (spool ? "" : spool.failure().message()));
    for (std::uint64_t i = 1; i <= 5; ++i) spool->append(event("a", i));
    BOOST_TEST(spool->forget("a", 2) == 2u);
    BOOST_TEST(spool->oldest("a") == 3u);
  }
  auto again = bus::event_spool::open(path, 100, "node-1");
  BOOST_TEST_REQUIRE(again.has_value(), (again ? "" : again.failure().message()));
  BOOST_TEST(again->recovered() == 3u);
  BOOST_TEST((seqs(*again) == std::vector<std::uint64_t>{3, 4, 5}));
  BOOST_TEST(again->events().front().instance == "a");
  BOOST_TEST(!again->events().front().sent);
  // A new run's events follow the old instance's.
  again->append(event("b", 1));
  BOOST_TEST(again->oldest("b") == 1u);
  BOOST_TEST(again->oldest("a") == 3u);
}

BOOST_AUTO_TEST_CASE(past_the_bound_the_oldest_is_dropped_counted_and_stays_dropped) {
  test::scratch_dir dir;
  const auto path = dir.file("node-1.spool");
  {
    auto spool = bus::event_spool::open(path, 3, "node-1");
    BOOST_TEST_REQUIRE(spool.has_value());
    for (std::uint64_t i = 1; i <= 5; ++i) spool->append(event("a", i));
    BOOST_TEST(spool->dropped() == 2u);
    BOOST_TEST((seqs(*spool) == std::vector<std::uint64_t>{3, 4, 5}));
  }
  auto again = bus::event_spool::open(path, 3, "node-1");
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST((seqs(*again) == std::vector<std::uint64_t>{3, 4, 5}));
  BOOST_TEST(again->dropped() == 0u);
}

BOOST_AUTO_TEST_CASE(reopened_with_a_lower_bound_the_oldest_go_counted) {
  test::scratch_dir dir;
  const auto path = dir.file("node-1.spool");
  write_spool(path, 10, 5);
  auto lower = bus::event_spool::open(path, 2, "node-1");
  BOOST_TEST_REQUIRE(lower.has_value());
  BOOST_TEST((seqs(*lower) == std::vector<std::uint64_t>{4, 5}));
  BOOST_TEST(lower->dropped() == 3u);
}

BOOST_AUTO_TEST_CASE(a_torn_last_record_is_cut_off_and_the_rest_kept) {
  test::scratch_dir dir;
  const auto path = dir.file("node-1.spool");
  write_spool(path, 100, 3);
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 7);  // the kill cut the last write short
  auto again = bus::event_spool::open(path, 100, "node-1");
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST((seqs(*again) == std::vector<std::uint64_t>{1, 2}));
  BOOST_TEST(again->torn_bytes() > 0u);
  again->append(event("a", 4));
  BOOST_TEST((seqs(*again) == std::vector<std::uint64_t>{1, 2, 4}));
}

BOOST_AUTO_TEST_CASE(a_second_process_cannot_open_a_spool_in_use) {
  test::scratch_dir dir;
  const auto path = dir.file("node-1.spool");
  auto first = bus::event_spool::open(path, 100, "node-1");
  BOOST_TEST_REQUIRE(first.has_value());
  // flock is per open file description: a second open in this process stands for another.
  auto second = bus::event_spool::open(path, 100, "node-1");
  BOOST_TEST_REQUIRE(!second.has_value());
  BOOST_TEST(second.failure().message().find("in use by another process") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_mostly_acked_file_is_rewritten_with_the_kept_events_only) {
  test::scratch_dir dir;
  const auto path = dir.file("node-1.spool");
  {
    auto spool = bus::event_spool::open(path, 10'000, "node-1");
    BOOST_TEST_REQUIRE(spool.has_value());
    for (std::uint64_t i = 1; i <= 5'000; ++i) {
      spool->append(event("a", i));
      if (i % 10 == 0) spool->forget("a", i - 1);
    }
    BOOST_TEST(spool->write_failures() == 0u, spool->last_error());
    BOOST_TEST(spool->events().size() == 1u);
  }
  // 5,000 events and 500 acks written (about 1.2 MB); rewritten at the 4,100th event with
  // one kept, so only the last ~900 events and their acks remain.
  BOOST_TEST(std::filesystem::file_size(path) < 400'000u);
  auto again = bus::event_spool::open(path, 10'000, "node-1");
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST((seqs(*again) == std::vector<std::uint64_t>{5'000}));
}

BOOST_AUTO_TEST_CASE(an_empty_path_keeps_events_in_memory_only) {
  auto spool = bus::event_spool::open("", 2, "node-1");
  BOOST_TEST_REQUIRE(spool.has_value());
  spool->append(event("a", 1));
  BOOST_TEST(spool->events().size() == 1u);
  BOOST_TEST(!bus::event_spool::open("", 0, "node-1").has_value());
}
