// libFuzzer target for the relay's chunked body scanner (`make fuzz`; docs/fuzzing.md).
// Corpus: tests/relay/corpus/chunked. Besides "no crash, no exception" it checks that the
// scanner finds the same end of body, or refuses alike, however the bytes arrive: at once,
// in two reads, or one byte at a time.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "relay/chunked_scanner.hpp"
#include "tests/support/fuzz_check.hpp"

namespace {

using headroom::test::fuzz_require;
namespace relay = headroom::relay;

/// What the scanner made of a body: refused, or how many bytes it took and whether it ended.
struct scanned {
  bool refused = false;
  std::size_t taken = 0;
  bool done = false;
  bool operator==(const scanned&) const = default;
};

/// Scans BYTES in reads of at most PIECE bytes, as a connection would.
scanned scan(std::string_view bytes, std::size_t piece) {
  relay::chunked_scanner scanner;
  scanned out;
  while (!bytes.empty() && !scanner.done()) {
    const auto read = bytes.substr(0, piece);
    auto taken = scanner.consume(read);
    if (!taken) return {true, 0, false};
    fuzz_require(*taken <= read.size(), "the scanner takes no more than it is given");
    fuzz_require(*taken == read.size() || scanner.done(),
                 "the scanner stops early only at the end of the body");
    out.taken += *taken;
    bytes.remove_prefix(*taken);
  }
  out.done = scanner.done();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto whole = scan(bytes, bytes.size() + 1);
  fuzz_require(scan(bytes, 1) == whole, "byte by byte as at once");
  if (size > 1) fuzz_require(scan(bytes, size / 2 + 1) == whole, "in two reads as at once");
  if (whole.done) {
    const auto body = bytes.substr(0, whole.taken);
    fuzz_require(scan(body, body.size()) == whole, "the body alone ends where it ended");
  }
  return 0;
}
