// libFuzzer target for the TOML configuration files (`make fuzz`; docs/fuzzing.md): the
// one reader of common/ with a setting of every kind it reads, then each role's reader
// (relay, detector, distribution) and its validation, all on the same text. Corpus:
// tests/common/corpus/config (the example files of config/ and edge cases). Besides "no
// crash, no exception" it checks that every refused file says where: the key and the line.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/detector/detector_config.hpp"
#include "common/toml_reader.hpp"
#include "distribution/config.hpp"
#include "relay/relay_config.hpp"
#include "tests/support/fuzz_check.hpp"

namespace {

using headroom::test::fuzz_require;
namespace common = headroom::common;

const std::string source = "fuzz.toml";

enum class colour { red, green };

/// A setting of every kind the reader takes.
struct settings {
  std::string name;
  bool on = false;
  std::uint16_t port = 0;
  std::int8_t small = 0;
  std::uint64_t large = 0;
  double share = 0;
  std::chrono::milliseconds timeout{0};
  std::chrono::nanoseconds fine{0};
  std::chrono::hours coarse{0};
  std::vector<std::string> hosts;
  std::map<std::string, std::string> models;
  colour shade = colour::red;
  std::optional<std::int32_t> limit;
  int parsed = 0;
};

void read_sections(common::toml_reader& file, settings& s) {
  auto main = file.section("main");
  main.read("name", s.name);
  main.read("on", s.on);
  main.read("port", s.port);
  main.read("small", s.small);
  main.read("large", s.large);
  main.read("share", s.share);
  main.read("timeout_ms", s.timeout);
  main.read("fine_ms", s.fine);
  main.read("coarse_ms", s.coarse);
  main.choose("shade", s.shade, {{"red", colour::red}, {"green", colour::green}});
  main.read("limit", s.limit);
  main.parse("parsed", s.parsed, [](const std::string& text) -> headroom::domain::expected<int> {
    if (text.empty()) return headroom::domain::error{"", "must not be empty"};
    return static_cast<int>(text.size());
  });
  auto lists = file.section("lists");
  lists.read("hosts", s.hosts);
  lists.read("models", s.models);
}

/// A refused file names the key or the file, and says what is wrong.
template <class T>
void check_refusal(const headroom::domain::expected<T>& read) {
  if (read) return;
  fuzz_require(!read.failure().where.empty() && !read.failure().what.empty(),
               "a refused configuration says where and what");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_refusal(common::read_toml_text<settings>(text, source, "test", read_sections));
  auto relay = headroom::relay::read_relay_config_text(text, source);
  check_refusal(relay);
  if (relay) check_refusal(headroom::relay::validate(std::move(*relay)));
  auto detector = headroom::detector::read_detector_config_text(text, source);
  check_refusal(detector);
  if (detector) check_refusal(headroom::detector::validate(std::move(*detector)));
  auto distribution = headroom::distribution::read_distribution_config_text(text, source);
  check_refusal(distribution);
  if (distribution) check_refusal(headroom::distribution::validate(std::move(*distribution)));
  return 0;
}
