#include "sim/sim_config.hpp"

#include <cctype>
#include <cmath>
#include <numeric>

namespace headroom::sim {

domain::expected<decimal_share> parse_share(const std::string& text) {
  const domain::error bad{"--group-share", "'" + text + "' is not a decimal share in (0, 1]"};
  std::int64_t whole = 0;
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
  std::size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > 1) return bad;
  }
  const bool has_whole = i > 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t digits = i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (denominator >= 1'000'000'000'000LL) return bad;  // more precision than anyone means
      numerator = numerator * 10 + (text[i] - '0');
      denominator *= 10;
    }
    if (i == digits && !has_whole) return bad;
  } else if (!has_whole) {
    return bad;
  }
  if (i != text.size()) return bad;
  numerator += whole * denominator;
  if (numerator <= 0 || numerator > denominator) return bad;
  const auto g = std::gcd(numerator, denominator);
  return decimal_share{numerator / g, denominator / g};
}

domain::expected<sim_config> validate(sim_config c) {
  if (c.strategies.empty()) return domain::error{"--strategy", "names no strategy"};
  if (c.retries < 0) return domain::error{"--retries", "must not be negative"};
  if (c.retry_after_s < 1) return domain::error{"--retry-after", "must be at least 1 second"};
  if (c.rate && *c.rate < 1) return domain::error{"--rate", "must be at least 1 per minute"};
  if (c.group_share.numerator <= 0 || c.group_share.numerator > c.group_share.denominator)
    return domain::error{"--group-share", "must lie in (0, 1]"};
  if (!std::isfinite(c.duration_noise) || c.duration_noise < 0 || c.duration_noise > 2)
    return domain::error{"--duration-noise", "must lie in [0, 2]"};
  if (c.replan_interval_s < 1) return domain::error{"--replan-interval", "must be at least 1 s"};
  if (c.threads < 0) return domain::error{"--threads", "must not be negative"};
  return c;
}

}  // namespace headroom::sim
