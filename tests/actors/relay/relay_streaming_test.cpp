// A 200 MB download through the relay with bounded memory: the relay, the upstream and
// the device all live in this process, so the process's peak RSS bounds the relay's.
// Its own executable, so that no earlier test has raised the peak already.
#define BOOST_TEST_MODULE relay streaming
#include <boost/test/unit_test.hpp>
#include <caf/send.hpp>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/support/eventually.hpp"
#include "tests/support/relay_client.hpp"
#include "tests/support/relay_fixture.hpp"

using namespace headroom;

namespace {

// Peak resident set size of this process so far, in bytes (VmHWM).
std::uint64_t peak_rss() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      std::uint64_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

// Reads one response head and then exactly `body` bytes, counting them without keeping them.
std::uint64_t drain(test::relay_client& device, std::uint64_t body) {
  std::string head;
  char byte;
  while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
    boost::asio::read(device.socket(), boost::asio::buffer(&byte, 1));
    head.push_back(byte);
  }
  BOOST_TEST(head.rfind("HTTP/1.1 200", 0) == 0u);
  std::vector<char> chunk(64 * 1024);
  std::uint64_t received = 0;
  while (received < body) {
    boost::system::error_code ec;
    auto n = device.socket().read_some(boost::asio::buffer(chunk), ec);
    if (ec) break;
    received += n;
  }
  return received;
}

// Keeps the session reports the node agent forwards (where the bus adapter attaches).
struct report_log {
  std::mutex mutex;
  std::vector<relay::session_report> reports;
};

relay::relay_event_sink_actor::behavior_type report_sink(relay::relay_event_sink_actor::pointer,
                                                         std::shared_ptr<report_log> log) {
  return {
      [log](const relay::session_report& r) {
        std::lock_guard lock(log->mutex);
        log->reports.push_back(r);
      },
      [](const relay::device_first_seen&) {},
      [](const relay::refusal&) {},
  };
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(two_hundred_megabytes_stream_with_bounded_memory, test::relay_fixture) {
  start(base_config());
  test::relay_client device(port());
  device.get(upstream.port(), "/small");
  BOOST_TEST(device.read().result_int() == 200);
  const auto before = peak_rss();
  constexpr std::uint64_t size = 200ull * 1024 * 1024;
  device.get(upstream.port(), "/bytes/" + std::to_string(size));
  BOOST_TEST(drain(device, size) == size);
  const auto growth = peak_rss() - before;
  BOOST_TEST_MESSAGE("peak RSS growth over a 200 MiB download: " << growth / 1024 << " KiB");
  BOOST_TEST(growth < 64ull * 1024 * 1024);
  // The connection stays usable after the large body.
  device.get(upstream.port(), "/small");
  BOOST_TEST(device.read().result_int() == 200);
}

BOOST_FIXTURE_TEST_CASE(large_transfers_are_reported_with_their_duration, test::relay_fixture) {
  auto c = base_config();
  c.transfer_report_bytes = 1024 * 1024;
  start(c);
  auto log = std::make_shared<report_log>();
  relay::relay_event_sink_actor sink = system.spawn(report_sink, log);
  caf::anon_send(node->agent(), atom::subscribe_v, sink);
  {
    test::relay_client device(port());
    device.get(upstream.port(), "/small");
    BOOST_TEST(device.read().result_int() == 200);
    device.get(upstream.port(), "/bytes/3000000");
    BOOST_TEST(device.read().body().size() == 3'000'000u);
  }
  // The report reaches the sink on a scheduler thread after the device hung up.
  test::eventually(
      [&] {
        std::lock_guard lock(log->mutex);
        return !log->reports.empty();
      },
      std::chrono::seconds{5});
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  std::lock_guard lock(log->mutex);
  BOOST_REQUIRE(log->reports.size() == 1u);
  const auto& report = log->reports[0];
  BOOST_TEST(report.admitted);
  BOOST_TEST(report.totals.requests == 2u);
  BOOST_TEST(report.totals.bytes_to_device > 3'000'100u);
  BOOST_REQUIRE(report.totals.transfers.size() == 1u);  // the small one is under the threshold
  BOOST_TEST(report.totals.transfers[0].url ==
             "http://127.0.0.1:" + std::to_string(upstream.port()) + "/bytes/3000000");
  BOOST_TEST(report.totals.transfers[0].status == 200);
  BOOST_TEST(report.totals.transfers[0].bytes == 3'000'000u);
}

BOOST_FIXTURE_TEST_CASE(a_large_tunnelled_download_streams_too, test::relay_fixture) {
  start(base_config());
  test::relay_client device(port());
  auto authority = "127.0.0.1:" + std::to_string(upstream.port());
  device.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
  BOOST_TEST(device.read(true).result_int() == 200);
  constexpr std::uint64_t size = 64ull * 1024 * 1024;
  device.send("GET /bytes/" + std::to_string(size) + " HTTP/1.1\r\nHost: " + authority +
              "\r\n\r\n");
  BOOST_TEST(drain(device, size) == size);
}
