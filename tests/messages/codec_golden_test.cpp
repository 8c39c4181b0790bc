// Pins the bytes of every message type: a change of the wire format must show up
// here as a deliberate edit (and in docs/bus.md), never as a side effect.
#define BOOST_TEST_MODULE codec_golden
#include <boost/test/unit_test.hpp>
#include <map>
#include <string>

#include "messages/codec.hpp"
#include "tests/support/wire_samples.hpp"

namespace {

using namespace headroom;

std::string to_hex(const std::string& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

// encode("node-osaka-1", seq 42, sample) for each sample in tests/support/wire_samples.hpp.
const std::map<std::string, std::string> golden = {
    {"node_hello",
     "95010101ac6e6f64652d6f73616b612d312a86a76e6f64655f6964ac6e6f64652d6f73616b612d31"
     "a970726f78795f69647392ad70726f78792d6f73616b612d31ad70726f78792d6f73616b612d32a8"
     "636170616369747978a97468726573686f6c6464b0736f6674776172655f76657273696f6ea5302e"
     "312e30ac6275735f70726f746f636f6c01"},
    {"node_heartbeat",
     "95020101ac6e6f64652d6f73616b612d312a83ad6c6976655f73657373696f6e7357ac6c6976655f"
     "646576696365735aab71756575655f646570746803"},
    {"devices_seen",
     "95030101ac6e6f64652d6f73616b612d312a82a870726f78795f6964ad70726f78792d6f73616b61"
     "2d31a7646576696365739284a96465766963655f6964aa6465762d303030313233a96c6173745f73"
     "65656ece6924f180a46d6f6465a570726f7879a761646472657373a831302e312e322e3384a96465"
     "766963655f6964aa6465762d303030313234a96c6173745f7365656ece6924f1bca46d6f6465a664"
     "6972656374a761646472657373a831302e312e322e34"},
    {"session_event",
     "95040101ac6e6f64652d6f73616b612d312a8ba96465766963655f6964aa6465762d303030313233"
     "a870726f78795f6964ad70726f78792d6f73616b612d31a76f7574636f6d65a6636c6f736564a261"
     "74ce6924f180a862797465735f7570cd1400aa62797465735f646f776ece12c00000ab6475726174"
     "696f6e5f6d73ce0002c6f0a8757073747265616db366772e6578616d706c652e746573743a343433"
     "a8696e7374616e6365a0a96576656e745f73657100ac756e61636b65645f66726f6d00"},
    {"observed_duration",
     "95050101ac6e6f64652d6f73616b612d312a88ac6465766963655f6d6f64656cb1696d6167655255"
     "4e4e4552204333333236aa7061636b6167655f6964aa66772d323032352e3131a56279746573ce12"
     "c00000ab7472616e736665725f6d73ce0002c6f0a26174ce6924f180a8696e7374616e6365b03962"
     "3265343164303761356333663138a96576656e745f73657111ac756e61636b65645f66726f6d0c"},
    {"overload_report",
     "95060101ac6e6f64652d6f73616b612d312a83a870726f78795f6964ad70726f78792d6f73616b61"
     "2d31ac67656e6572617465645f6174ce69248100a777696e646f77739185a57374617274ce6924f1"
     "80a3656e64ce6924f888a47065616bcc83a97468726573686f6c6464a76a6f625f69647392a56a6f"
     "622d37a56a6f622d39"},
    {"adjustment_plan",
     "95070101ac6e6f64652d6f73616b612d312a84a7706c616e5f6964a6706c616e2d31ac67656e6572"
     "617465645f6174ce69248100a56d6f7665739184a66a6f625f6964a56a6f622d37a466726f6dce69"
     "24f180a2746fce6924ff90a6726561736f6ed92070726f78792d6f73616b612d31206f7665722074"
     "68726573686f6c6420313030ad756e7363686564756c61626c659182a66a6f625f6964a56a6f622d"
     "39a6726561736f6ed92c6e6f20726f6f6d206265666f726520646561646c696e6520323032352d31"
     "312d32355430333a30303a30305a"},
    {"detector_status",
     "95080101ac6e6f64652d6f73616b612d312a85ab6465746563746f725f6964aa6465746563746f72"
     "2d31ab696e7374616e63655f6964a6346631633961aa737461727465645f6174ce692459f0aa6e6f"
     "6465735f6c69766503ab6e6f6465735f7374616c6501"},
    {"ack", "95090101ac6e6f64652d6f73616b612d312a81a37365712a"},
    {"events_ack",
     "950a0101ac6e6f64652d6f73616b612d312a82a8696e7374616e6365b03962326534316430376135"
     "6333663138a77468726f75676811"},
};

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_message_type_encodes_to_its_pinned_bytes) {
  const auto samples = test::sample_payloads();
  BOOST_TEST(samples.size() == messages::message_type_count);
  for (const auto& sample : samples) {
    const std::string name = messages::to_string(messages::type_of(sample));
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST_REQUIRE(golden.count(name) == 1u);
      BOOST_TEST(to_hex(messages::encode("node-osaka-1", 42, sample)) == golden.at(name));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_message_type_decodes_back_to_the_same_value) {
  for (const auto& sample : test::sample_payloads()) {
    BOOST_TEST_CONTEXT(messages::to_string(messages::type_of(sample))) {
      const auto decoded = messages::decode(messages::encode("node-osaka-1", 42, sample));
      BOOST_TEST_REQUIRE(decoded.has_value(), (decoded ? "" : decoded.failure().message()));
      BOOST_TEST(decoded->env.sender == "node-osaka-1");
      BOOST_TEST(decoded->env.seq == 42u);
      BOOST_TEST(decoded->env.major == messages::protocol_major);
      BOOST_TEST((decoded->env.type == messages::type_of(sample)));
      BOOST_TEST((decoded->body == sample));
    }
  }
}

BOOST_AUTO_TEST_CASE(envelope_is_a_five_element_array_before_the_payload_map) {
  const auto bytes = messages::encode("n", 7, messages::ack{42});
  // fixarray(5) type=9 major=1 minor=1 "n" seq=7, then fixmap(1) "seq" 42.
  BOOST_TEST(to_hex(bytes) == "95090101a16e0781a37365712a");
}

BOOST_AUTO_TEST_CASE(a_protocol_1_0_event_without_the_1_1_fields_decodes_unstamped) {
  // observed_duration as a 1.0 peer sends it: minor 0, five fields.
  const std::string bytes = from_hex(
      "95050100a16e0785ac6465766963655f6d6f64656ca16daa7061636b6167655f6964a27077a5"
      "627974657301ab7472616e736665725f6d7302a2617403");
  const auto decoded = messages::decode(bytes);
  BOOST_TEST_REQUIRE(decoded.has_value(), (decoded ? "" : decoded.failure().message()));
  const auto& d = std::get<messages::observed_duration>(decoded->body);
  BOOST_TEST(d.device_model == "m");
  BOOST_TEST(d.instance.empty());
  BOOST_TEST(d.event_seq == 0u);
}
