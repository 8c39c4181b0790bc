// libFuzzer target for the request targets, query strings and urlencoded forms the
// distribution system reads (`make fuzz`; docs/fuzzing.md). Corpus:
// tests/distribution/corpus/url. Besides "no crash, no exception" it checks that what
// parses is written back (percent-encoded) to text that parses the same, and that a list's
// cursor, once handed out, reads back to the same position.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "distribution/api/paging.hpp"
#include "distribution/http/router.hpp"
#include "distribution/http/url.hpp"
#include "tests/support/fuzz_check.hpp"

namespace {

using headroom::test::fuzz_require;
namespace dist = headroom::distribution;

std::string form_of(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [name, value] : fields)
    out +=
        (out.empty() ? "" : "&") + dist::percent_encode(name) + "=" + dist::percent_encode(value);
  return out;
}

void check_query(const dist::target& t) {
  const dist::distribution_config config;
  if (auto page = dist::read_page_request(t, config)) {
    fuzz_require(page->limit >= 1 && page->limit <= config.max_page_size, "a page size in range");
    if (page->after >= 0) {
      dist::target next{t.path, {{"cursor", *dist::cursor_after(page->after)}}};
      auto again = dist::read_page_request(next, config);
      fuzz_require(again.has_value() && again->after == page->after,
                   "a handed-out cursor reads back to its position");
    }
  } else {
    fuzz_require(page.failure().path.rfind("query.", 0) == 0,
                 "a query failure names its parameter");
  }
  (void)dist::unknown_parameters(t, {"cursor", "limit", "from", "to"});
  (void)dist::time_parameter(t, "from");
  (void)dist::time_parameter(t, "to");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto form = dist::parse_form(text)) {
    auto again = dist::parse_form(form_of(*form));
    fuzz_require(again.has_value() && *again == *form, "a form reads back as written");
  }
  auto t = dist::parse_target(text);
  if (!t) return 0;
  auto again = dist::parse_target(dist::percent_encode(t->path) + "?" + form_of(t->query));
  fuzz_require(again.has_value() && again->path == t->path && again->query == t->query,
               "a target reads back as written");
  check_query(*t);
  for (const char* pattern :
       {"/api/v1/jobs/{id}", "/warnings/{id}/acknowledge", "/firmware/{id}"}) {
    std::map<std::string, std::string> params;
    if (dist::match_pattern(pattern, t->path, params))
      fuzz_require(params.count("id") == 1, "a matched pattern names its parameter");
  }
  return 0;
}
