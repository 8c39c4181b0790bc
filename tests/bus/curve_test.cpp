// CurveZMQ: a node whose public key is on the detector's allowlist connects; a
// node with an unknown key is refused and counted. Without CurveZMQ, a detector bound
// off loopback warns loudly. And the key files that
// `headroom keygen` writes read back, with errors that name file and line.
#define BOOST_TEST_MODULE bus_curve
#include <zmq.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/bus_fixture.hpp"
#include "tests/support/eventually.hpp"

namespace {

using namespace headroom;
using namespace std::chrono_literals;

bus::curve_keypair fresh_keys() {
  auto keys = bus::generate_keypair();
  if (!keys) BOOST_FAIL(keys.failure().message());
  return *keys;
}

/// A scratch directory removed at the end of the test.
struct scratch_dir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("headroom-curve-test-" + std::to_string(::getpid()));
  scratch_dir() { std::filesystem::create_directories(path); }
  ~scratch_dir() { std::filesystem::remove_all(path); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(allowed_key_connects_and_unknown_key_is_refused) {
  BOOST_TEST_REQUIRE(bus::curve_available());
  const auto detector_keys = fresh_keys();
  const auto allowed_keys = fresh_keys();
  const auto unknown_keys = fresh_keys();

  zmq::context_t detector_host;
  zmq::context_t node_host;
  test::bus_side detector_side;
  test::bus_side node_side;
  auto hub_config = test::fast_hub("tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  hub_config.curve = bus::hub_curve_config{detector_keys, {allowed_keys.public_key}};
  const auto hub = detector_side.start_hub(detector_host, hub_config);

  auto allowed = test::fast_node("node-allowed", hub);
  allowed.curve = bus::node_curve_config{allowed_keys, detector_keys.public_key};
  node_side.start_node(node_host, allowed);
  BOOST_TEST_REQUIRE(detector_side.log->wait_for("node_up", 1, "node-allowed"));
  BOOST_TEST_REQUIRE(node_side.log->wait_for("hub_up", 1));

  test::bus_side stranger_side;
  auto stranger = test::fast_node("node-stranger", hub);
  stranger.curve = bus::node_curve_config{unknown_keys, detector_keys.public_key};
  const auto stranger_node = stranger_side.start_node(node_host, stranger);
  // The refusal happens in the ZAP handler's thread; nothing tells an actor, so
  // poll the counter (both of the stranger's sockets are refused, repeatedly).
  test::eventually([&] { return detector_side.stats(hub.bridge).auth_refused >= 2; },
                   test::deadline);
  const auto stats = detector_side.stats(hub.bridge);
  BOOST_TEST(stats.auth_refused >= 2u);
  BOOST_TEST(stats.peers_live == 1);
  BOOST_TEST(detector_side.log->count("node_hello", "node-stranger") == 0u);
  BOOST_TEST(stranger_side.log->count("hub_up") == 0u);
  BOOST_TEST(stranger_side.stats(stranger_node).frames_in == 0u);
}

BOOST_AUTO_TEST_CASE(a_plaintext_hub_off_loopback_warns_loudly_and_a_curve_one_does_not) {
  const auto warnings_of = [](const char* router, const char* pub, bool curve) {
    zmq::context_t host;
    test::bus_side side;
    auto config = test::fast_hub(router, pub);
    if (curve) config.curve = bus::hub_curve_config{fresh_keys(), {}};
    auto said = std::make_shared<std::vector<std::string>>();
    config.warn = [said](const std::string& line) { said->push_back(line); };
    const auto hub = side.start_hub(host, config);
    side.stop(caf::actor_cast<caf::actor>(hub.bridge));
    return *said;
  };
  // The default: loopback, nothing to say.
  BOOST_TEST(warnings_of("tcp://127.0.0.1:*", "tcp://127.0.0.1:*", false).empty());
  // Every interface without CurveZMQ: one loud warning naming both endpoints.
  const auto exposed = warnings_of("tcp://0.0.0.0:*", "tcp://0.0.0.0:*", false);
  BOOST_TEST_REQUIRE(exposed.size() == 1u);
  BOOST_TEST(exposed[0].starts_with("WARNING: the bus listens on tcp://0.0.0.0:"), exposed[0]);
  BOOST_TEST(exposed[0].find("WITHOUT CurveZMQ") != std::string::npos, exposed[0]);
  // The same with CurveZMQ: unknown keys are refused (the case above), so no warning.
  BOOST_TEST(warnings_of("tcp://0.0.0.0:*", "tcp://0.0.0.0:*", true).empty());
}

BOOST_AUTO_TEST_CASE(key_files_round_trip_and_bad_ones_name_file_and_line) {
  scratch_dir dir;
  const auto keys = fresh_keys();
  BOOST_TEST_REQUIRE(!bus::write_keypair_files(keys, dir.path / "node-a").has_value());
  BOOST_TEST(((std::filesystem::status(dir.path / "node-a.key").permissions() &
               std::filesystem::perms::group_read) == std::filesystem::perms::none));
  const auto pair = bus::read_key_file(dir.path / "node-a.key", true);
  BOOST_TEST_REQUIRE(pair.has_value());
  BOOST_TEST(pair->public_key == keys.public_key);
  BOOST_TEST(pair->secret_key == keys.secret_key);
  // The public file has no secret; a key pair cannot be read from it.
  BOOST_TEST(!bus::read_key_file(dir.path / "node-a.pub", true).has_value());
  // Never overwrite a key.
  const auto again = bus::write_keypair_files(fresh_keys(), dir.path / "node-a");
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->message().find("exists") != std::string::npos);

  // An allowlist is the concatenation of .pub files, bare keys and comments.
  const auto other = fresh_keys();
  {
    std::ofstream list(dir.path / "allowlist");
    std::ifstream pub(dir.path / "node-a.pub");
    list << "# nodes allowed to connect\n" << pub.rdbuf() << "\n" << other.public_key << "\n";
  }
  const auto allowed = bus::read_allowlist(dir.path / "allowlist");
  BOOST_TEST_REQUIRE(allowed.has_value());
  BOOST_TEST(allowed->size() == 2u);
  BOOST_TEST(allowed->count(keys.public_key) == 1u);

  {
    std::ofstream bad(dir.path / "bad-allowlist");
    bad << other.public_key << "\nnot-a-key\n";
  }
  const auto refused = bus::read_allowlist(dir.path / "bad-allowlist");
  BOOST_TEST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.failure().where == (dir.path / "bad-allowlist").string() + ":2");
  BOOST_TEST(refused.failure().what.find("not a Z85") != std::string::npos);
  BOOST_TEST(!bus::read_allowlist(dir.path / "missing").has_value());

  // Z85 keys may contain '=' (and '#'): a bare one is still a key, not an entry or comment.
  std::uint8_t raw[32] = {0, 0, 0, 66};  // the first group encodes as "0000="
  char z85[41];
  zmq_z85_encode(z85, raw, 32);
  BOOST_TEST_REQUIRE(std::string{z85}.substr(0, 5) == "0000=");
  {
    std::ofstream hashed(dir.path / "hashed-allowlist");
    hashed << z85 << "\n";
  }
  const auto hashed = bus::read_allowlist(dir.path / "hashed-allowlist");
  BOOST_TEST_REQUIRE(hashed.has_value());
  BOOST_TEST(hashed->count(z85) == 1u);
}
