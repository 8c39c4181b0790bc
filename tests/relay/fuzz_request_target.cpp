// libFuzzer target for the request targets and Host fields the relay reads from devices
// (`make fuzz`; docs/fuzzing.md). Corpus: tests/relay/corpus/request_target. Besides "no
// crash, no exception" it checks that an accepted target is canonical: written back as an
// authority it parses to the same host and port, and that names the same upstream.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "relay/request_target.hpp"
#include "tests/support/fuzz_check.hpp"

namespace {

using headroom::test::fuzz_require;
namespace relay = headroom::relay;

void check_canonical(const relay::request_target& t) {
  fuzz_require(t.port != 0, "an accepted target has a port");
  auto again = relay::parse_connect_target(t.authority());
  fuzz_require(again.has_value(), "an accepted target's authority parses");
  fuzz_require(again->host == t.host && again->port == t.port && again->literal == t.literal,
               "an accepted target's authority names the same upstream");
  fuzz_require(relay::host_header_matches(t.authority(), t), "a target matches its own Host");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto t = relay::parse_connect_target(text)) {
    check_canonical(*t);
    fuzz_require(t->origin_form.empty(), "CONNECT has no origin form");
  }
  if (auto t = relay::parse_absolute_target(text)) {
    check_canonical(*t);
    fuzz_require(!t->origin_form.empty() && t->origin_form.front() == '/',
                 "an absolute target's origin form starts with /");
  }
  if (auto t = relay::parse_authority(text, std::uint16_t{80})) check_canonical(*t);
  return 0;
}
