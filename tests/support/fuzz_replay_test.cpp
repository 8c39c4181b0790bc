// Replays a fuzz target's committed corpus (HEADROOM_FUZZ_CORPUS) through the target's own
// LLVMFuzzerTestOneInput, compiled into an ordinary test without libFuzzer
// (tests/CMakeLists.txt, headroom_fuzz_target): every input ever kept, crashers included,
// runs in `make test`. An exception escaping a parser fails the input by name; a crash or
// a broken property (fuzz_check.hpp aborts) fails the test at the input's checkpoint.
#define BOOST_TEST_MODULE fuzz_corpus_replay
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

/// A corpus holds a handful of valid and edge inputs at least.
constexpr std::size_t min_inputs = 5;

std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(HEADROOM_FUZZ_CORPUS))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_corpus_input_is_handled_without_crash_or_exception) {
  const auto files = corpus_files();
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto name = file.filename().string();
    BOOST_TEST_CHECKPOINT("corpus input " << name);
    BOOST_TEST_CONTEXT(name) {
      BOOST_CHECK_NO_THROW(LLVMFuzzerTestOneInput(
          reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    }
  }
  BOOST_TEST_MESSAGE("replayed " << files.size() << " corpus inputs from " HEADROOM_FUZZ_CORPUS);
  BOOST_TEST(files.size() >= min_inputs);
}
