// Untrusted bytes: each kind of bad frame is refused with an error value that
// names the fault and the field, and nothing throws or allocates without bound.
#define BOOST_TEST_MODULE codec_refusal
#include <boost/test/unit_test.hpp>
#include <functional>
#include <msgpack.hpp>
#include <string>

#include "messages/codec.hpp"
#include "tests/support/wire_samples.hpp"

namespace {

using namespace headroom;
using namespace std::string_literals;
using messages::wire_fault;
using packer = msgpack::packer<msgpack::sbuffer>;

/// An envelope [type, major, minor, "node-1", 1] followed by whatever `body` packs.
std::string frame_of(std::uint64_t type, std::uint64_t major,
                     const std::function<void(packer&)>& body) {
  msgpack::sbuffer buffer;
  packer pk{buffer};
  pk.pack_array(5);
  pk.pack(type);
  pk.pack(major);
  pk.pack(0);
  pk.pack(std::string{"node-1"});
  pk.pack(1);
  body(pk);
  return {buffer.data(), buffer.size()};
}

void pack_heartbeat_fields(packer& pk, std::int64_t live_sessions) {
  pk.pack(std::string{"live_sessions"});
  pk.pack(live_sessions);
  pk.pack(std::string{"live_devices"});
  pk.pack(1);
  pk.pack(std::string{"queue_depth"});
  pk.pack(0);
}

void expect_refused(const std::string& bytes, wire_fault fault, const std::string& where,
                    const std::string& what_contains = "") {
  const auto result = messages::decode(bytes);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST(messages::to_string(result.failure().fault) == messages::to_string(fault));
  BOOST_TEST(result.failure().where == where);
  BOOST_TEST(result.failure().what.find(what_contains) != std::string::npos,
             result.failure().message());
}

}  // namespace

BOOST_AUTO_TEST_CASE(frame_over_the_size_limit_is_refused_before_parsing) {
  expect_refused(std::string((1 << 20) + 1, '\x90'), wire_fault::oversized, "frame",
                 "exceed the limit");
}

BOOST_AUTO_TEST_CASE(empty_and_truncated_frames_are_refused) {
  expect_refused("", wire_fault::truncated, "envelope");
  const auto whole = messages::encode("node-1", 1, test::sample_session_event());
  for (std::size_t cut : {std::size_t{1}, std::size_t{10}, whole.size() - 1})
    BOOST_TEST_CONTEXT("cut at " << cut) {
      const auto result = messages::decode(whole.substr(0, cut));
      BOOST_TEST_REQUIRE(!result.has_value());
      BOOST_TEST((result.failure().fault == wire_fault::truncated));
    }
  // The envelope alone, without a payload.
  expect_refused(messages::encode("node-1", 1, messages::ack{1}).substr(0, 12),
                 wire_fault::truncated, "ack");
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_msgpack_are_malformed) {
  expect_refused("\xc1", wire_fault::malformed, "envelope", "not msgpack");
}

BOOST_AUTO_TEST_CASE(a_huge_declared_length_does_not_allocate) {
  // array32 declaring 4 billion elements: an unlimited unpack would try to allocate ~64 GiB.
  expect_refused(std::string{"\xdd\xff\xff\xff\xff", 5}, wire_fault::malformed, "envelope",
                 "decode limit");
  expect_refused(frame_of(2, 1, [](packer& pk) { pk.pack_map(0xffffffffu); }),
                 wire_fault::malformed, "node_heartbeat", "decode limit");
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused) {
  expect_refused(frame_of(2, 1,
                          [](packer& pk) {
                            for (int i = 0; i < 100; ++i) pk.pack_array(1);
                            pk.pack(0);
                          }),
                 wire_fault::malformed, "node_heartbeat", "decode limit");
}

BOOST_AUTO_TEST_CASE(bytes_after_the_payload_are_refused) {
  expect_refused(messages::encode("node-1", 1, messages::ack{1}) + std::string(1, '\0'),
                 wire_fault::trailing_bytes, "frame", "1 bytes after the payload");
}

BOOST_AUTO_TEST_CASE(an_envelope_that_is_not_an_array_is_refused) {
  expect_refused("\x81\xa1\x61\x01\x80"s, wire_fault::bad_envelope, "envelope",
                 "at least 5 elements");
  expect_refused("\x93\x01\x01\x00\x80"s, wire_fault::bad_envelope, "envelope", "got 3 elements");
}

BOOST_AUTO_TEST_CASE(envelope_fields_of_the_wrong_type_are_named) {
  msgpack::sbuffer buffer;
  packer pk{buffer};
  pk.pack_array(5);
  pk.pack(2);
  pk.pack(1);
  pk.pack(0);
  pk.pack(17);  // sender must be a string
  pk.pack(1);
  pk.pack_map(0);
  expect_refused({buffer.data(), buffer.size()}, wire_fault::bad_envelope, "envelope.sender",
                 "got an integer");
  expect_refused(frame_of(2, 1, [](packer& p) { p.pack_map(0); }).replace(2, 1, "\xff"),
                 wire_fault::bad_envelope, "envelope.major", "got an integer");
}

BOOST_AUTO_TEST_CASE(unknown_message_types_are_refused) {
  expect_refused(frame_of(0, 1, [](packer& pk) { pk.pack_map(0); }), wire_fault::unknown_type,
                 "envelope.type");
  expect_refused(frame_of(200, 1, [](packer& pk) { pk.pack_map(0); }), wire_fault::unknown_type,
                 "envelope.type", "unknown message type 200");
}

BOOST_AUTO_TEST_CASE(a_newer_major_version_is_refused_and_a_newer_minor_accepted) {
  expect_refused(frame_of(2, 2, [](packer& pk) { pk.pack_map(0); }),
                 wire_fault::unsupported_version, "envelope.major",
                 "protocol 2.0 is not supported");
  // A newer minor version adds a field this peer does not know: it is ignored.
  msgpack::sbuffer buffer;
  packer pk{buffer};
  pk.pack_array(6);  // and an envelope element appended later
  for (int v : {2, 1, 3}) pk.pack(v);
  pk.pack(std::string{"node-1"});
  pk.pack(9);
  pk.pack(std::string{"trace-id"});
  pk.pack_map(4);
  pack_heartbeat_fields(pk, 5);
  pk.pack(std::string{"cpu_load"});
  pk.pack(0.5);
  const auto result = messages::decode({buffer.data(), buffer.size()});
  BOOST_TEST_REQUIRE(result.has_value(), (result ? "" : result.failure().message()));
  BOOST_TEST(result->env.minor == 3);
  BOOST_TEST(
      (std::get<messages::node_heartbeat>(result->body) == messages::node_heartbeat{5, 1, 0}));
}

BOOST_AUTO_TEST_CASE(a_missing_field_is_named) {
  expect_refused(frame_of(2, 1,
                          [](packer& pk) {
                            pk.pack_map(2);
                            pk.pack(std::string{"live_sessions"});
                            pk.pack(1);
                            pk.pack(std::string{"live_devices"});
                            pk.pack(1);
                          }),
                 wire_fault::bad_field, "node_heartbeat.queue_depth", "missing");
}

BOOST_AUTO_TEST_CASE(a_field_of_the_wrong_type_is_named_with_its_path) {
  expect_refused(frame_of(3, 1,
                          [](packer& pk) {
                            pk.pack_map(2);
                            pk.pack(std::string{"proxy_id"});
                            pk.pack(std::string{"p1"});
                            pk.pack(std::string{"devices"});
                            pk.pack_array(1);
                            pk.pack_map(4);
                            pk.pack(std::string{"device_id"});
                            pk.pack(std::string{"d1"});
                            pk.pack(std::string{"last_seen"});
                            pk.pack(1);
                            pk.pack(std::string{"mode"});
                            pk.pack(7);
                            pk.pack(std::string{"address"});
                            pk.pack(std::string{"10.0.0.1"});
                          }),
                 wire_fault::bad_field, "devices_seen.devices[0].mode",
                 "expected a string, got an integer");
}

BOOST_AUTO_TEST_CASE(an_unknown_enumeration_value_is_named) {
  auto event = test::sample_session_event();
  auto bytes = messages::encode("node-1", 1, event);
  const auto at = bytes.find("closed");
  bytes.replace(at, 6, "exited");
  expect_refused(bytes, wire_fault::bad_field, "session_event.outcome", "unknown value \"exited\"");
}

BOOST_AUTO_TEST_CASE(an_integer_out_of_range_is_named) {
  expect_refused(frame_of(2, 1,
                          [](packer& pk) {
                            pk.pack_map(3);
                            pack_heartbeat_fields(pk, std::int64_t{1} << 40);
                          }),
                 wire_fault::bad_field, "node_heartbeat.live_sessions",
                 "out of range [-2147483648, 2147483647]");
  expect_refused(frame_of(9, 1,
                          [](packer& pk) {
                            pk.pack_map(1);
                            pk.pack(std::string{"seq"});
                            pk.pack(-3);
                          }),
                 wire_fault::bad_field, "ack.seq", "out of range");
}

BOOST_AUTO_TEST_CASE(duplicate_and_non_string_keys_are_refused) {
  expect_refused(frame_of(9, 1,
                          [](packer& pk) {
                            pk.pack_map(2);
                            pk.pack(std::string{"seq"});
                            pk.pack(1);
                            pk.pack(std::string{"seq"});
                            pk.pack(2);
                          }),
                 wire_fault::bad_field, "ack", "duplicate field \"seq\"");
  expect_refused(frame_of(9, 1,
                          [](packer& pk) {
                            pk.pack_map(1);
                            pk.pack(1);
                            pk.pack(2);
                          }),
                 wire_fault::bad_field, "ack", "key #0 is an integer");
}
