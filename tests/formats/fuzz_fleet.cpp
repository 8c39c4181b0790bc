// libFuzzer target for the fleet-file reader (`make fuzz`; docs/fuzzing.md), which reads
// files handed in by operators and uploaded to the distribution system. Corpus:
// tests/formats/corpus/fleet. Besides "no crash, no exception" it checks the writer's
// promise: a fleet that reads is written to a file that reads back to the same fleet.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/fleet_reader.hpp"
#include "formats/fleet_writer.hpp"
#include "tests/support/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using headroom::test::fuzz_require;
  namespace formats = headroom::formats;
  auto fleet = formats::parse_fleet({reinterpret_cast<const char*>(data), size});
  if (!fleet) {
    fuzz_require(!fleet.failure().message().empty(), "a refused fleet file says why");
    return 0;
  }
  const auto written = formats::fleet_to_json(*fleet);
  auto again = formats::parse_fleet(written);
  fuzz_require(again.has_value(), "a written fleet reads back");
  fuzz_require(formats::fleet_to_json(*again) == written, "a written fleet reads back the same");
  return 0;
}
