// Replays the committed fuzz corpus (tests/messages/corpus: the golden frames,
// hand-made hostile frames and every input that ever broke the decoder) as an
// ordinary test, so an old bug cannot come back without a fuzzer run.
#define BOOST_TEST_MODULE corpus_replay
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/support/decode_property.hpp"

BOOST_AUTO_TEST_CASE(every_corpus_input_keeps_the_decode_property) {
  const std::filesystem::path corpus{HEADROOM_FUZZ_CORPUS};
  std::size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    BOOST_TEST_CONTEXT(entry.path().filename().string()) {
      const auto broken = headroom::test::check_decode_property(bytes);
      BOOST_TEST(!broken.has_value(), (broken ? *broken : ""));
    }
    ++replayed;
  }
  BOOST_TEST_MESSAGE("replayed " << replayed << " corpus inputs");
  BOOST_TEST(replayed >= 9u);  // at least the golden frame of every message type
}
