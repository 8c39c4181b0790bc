// libFuzzer target for the heads the relay reads: a device's request head as the
// connection delimits, parses and forwards it, and an upstream's response head
// (`make fuzz`; docs/fuzzing.md). Corpus: tests/relay/corpus/http_head. Besides "no crash,
// no exception" it checks that delimiting does not depend on how the bytes arrive, and that
// what the relay forwards frames the body exactly as the relay does (else the bytes the
// relay takes for a body would be read as another message: smuggling).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "relay/http_head.hpp"
#include "relay/request_target.hpp"
#include "tests/support/fuzz_check.hpp"

namespace {

using headroom::test::fuzz_require;
namespace relay = headroom::relay;

/// Where delimiting a head ends: refused, incomplete, or the head's length.
struct delimited {
  bool refused = false;
  std::size_t length = 0;  ///< 0 while incomplete.
  bool operator==(const delimited&) const = default;
};

delimited delimit(std::string_view bytes, std::size_t split, const relay::http_limits& limits) {
  std::size_t scanned = 0;
  if (split > 0 && split < bytes.size()) {
    auto first = relay::find_head_end(bytes.substr(0, split), scanned, limits);
    if (!first) return {true, 0};
    if (*first > 0) return {false, *first};
  }
  auto end = relay::find_head_end(bytes, scanned, limits);
  if (!end) return {true, 0};
  return {false, *end};
}

/// No CR or LF outside the CRLF pairs that end lines, and no NUL: a lenient reader downstream
/// must not find a line break the relay did not write.
bool only_crlf_line_ends(std::string_view head) {
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\0') return false;
    if (head[i] == '\r' && (i + 1 == head.size() || head[i + 1] != '\n')) return false;
    if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) return false;
  }
  return true;
}

const relay::http_limits roomy{1 << 20, 1 << 20, 10'000};

/// A request head delimited then parsed: whether the connection refuses it, and where its
/// head ends. (Delimiting alone may refuse a long request line only when it arrives in
/// pieces; whole, the parser refuses it.)
delimited accepted(std::string_view bytes, std::size_t split, const relay::http_limits& limits) {
  auto head = delimit(bytes, split, limits);
  if (head.refused || head.length == 0) return head;
  if (!relay::parse_request_head(bytes.substr(0, head.length), limits)) return {true, 0};
  return head;
}

void request(std::string_view bytes, const relay::http_limits& limits) {
  const auto whole = accepted(bytes, 0, limits);
  for (std::size_t split : {std::size_t{1}, bytes.size() / 2, bytes.size() - 1})
    fuzz_require(accepted(bytes, split, limits) == whole,
                 "a request head is taken alike however its bytes arrive");
  if (whole.refused || whole.length == 0) return;
  auto head = relay::parse_request_head(bytes.substr(0, whole.length), limits);
  fuzz_require(head.has_value(), "an accepted head parses");
  fuzz_require(head->framing != relay::body_framing::until_close, "a request is never read to EOF");
  fuzz_require(head->framing == relay::body_framing::length || head->content_length == 0,
               "a content length only with length framing");
  const bool connect = head->method == "CONNECT";
  auto target = connect ? relay::parse_connect_target(head->target)
                        : relay::parse_absolute_target(head->target);
  if (!target) return;
  if (head->host && !relay::host_header_matches(*head->host, *target)) return;  // 403
  if (connect) return;
  const auto forwarded =
      relay::forward_request_head(*head, target->origin_form, target->authority(), "relay-1");
  fuzz_require(only_crlf_line_ends(forwarded), "the forwarded request head breaks lines by CRLF");
  std::size_t scanned = 0;
  auto end = relay::find_head_end(forwarded, scanned, roomy);
  fuzz_require(end && *end == forwarded.size(), "the forwarded request head is one whole head");
  auto again = relay::parse_request_head(forwarded, roomy);
  fuzz_require(again.has_value(), "the upstream can parse the forwarded request head");
  fuzz_require(again->framing == head->framing && again->content_length == head->content_length,
               "the upstream frames the request body as the relay does");
}

void response(std::string_view bytes, bool to_head_request, const relay::http_limits& limits) {
  const auto whole = delimit(bytes, 0, limits);
  if (whole.refused || whole.length == 0) return;
  auto head = relay::parse_response_head(bytes.substr(0, whole.length), to_head_request, limits);
  if (!head) {
    fuzz_require(head.failure().status == 502, "a broken upstream answer is a 502");
    return;
  }
  const auto forwarded = relay::forward_response_head(*head, head->keep_alive, "relay-1");
  fuzz_require(only_crlf_line_ends(forwarded), "the forwarded response head breaks lines by CRLF");
  auto again = relay::parse_response_head(forwarded, to_head_request, roomy);
  fuzz_require(again.has_value(), "the device can parse the forwarded response head");
  fuzz_require(again->framing == head->framing && again->content_length == head->content_length,
               "the device frames the response body as the relay does");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const relay::http_limits tight{64, 256, 4};
  for (const auto& limits : std::array{relay::http_limits{}, tight}) {
    request(bytes, limits);
    response(bytes, false, limits);
    response(bytes, true, limits);
  }
  // The parsers take any bytes, delimited or not.
  (void)relay::parse_request_head(bytes, relay::http_limits{});
  (void)relay::parse_response_head(bytes, false, relay::http_limits{});
  return 0;
}
