#include "distribution/http/url.hpp"

namespace headroom::distribution {

std::optional<std::map<std::string, std::string>> parse_form(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    out[*key] = *value;
  }
  return out;
}

std::optional<target> parse_target(std::string_view raw) {
  const auto q = raw.find('?');
  auto path = percent_decode(raw.substr(0, q), false);
  if (!path) return std::nullopt;
  auto query = parse_form(q == std::string_view::npos ? std::string_view{} : raw.substr(q + 1));
  if (!query) return std::nullopt;
  return target{std::move(*path), std::move(*query)};
}

}  // namespace headroom::distribution
