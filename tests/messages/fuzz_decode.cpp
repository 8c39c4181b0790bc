// libFuzzer target for the bus decoder: `make fuzz` (docs/bus.md, "Fuzzing").
#include <cstdio>
#include <cstdlib>

#include "tests/support/decode_property.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (auto broken =
          headroom::test::check_decode_property({reinterpret_cast<const char*>(data), size})) {
    std::fprintf(stderr, "decode property violated: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
