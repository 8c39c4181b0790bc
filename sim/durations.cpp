#include "sim/durations.hpp"

#include <cmath>
#include <numbers>
#include <string_view>

#include "sim/random.hpp"

namespace headroom::sim {
namespace {

/// FNV-1a: the same on every standard library, unlike std::hash.
std::uint64_t mix(std::uint64_t h, std::string_view text) {
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
  return (h ^ 0xFF) * 0x100000001B3ull;  // a separator, so that ("ab","c") != ("a","bc")
}

/// exp(sigma · Z) for a standard normal Z (Box–Muller) drawn from `seed`.
double log_normal(std::uint64_t seed, double sigma) {
  random r(seed);
  const double u1 = 1.0 - r.unit();  // (0, 1]: the logarithm stays finite
  const double u2 = r.unit();
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  return std::exp(sigma * z);
}

}  // namespace

std::vector<std::int64_t> real_durations(const domain::fleet& f, double sigma, std::uint64_t seed) {
  std::vector<std::int64_t> out;
  out.reserve(f.jobs.size());
  constexpr std::uint64_t basis = 0xCBF29CE484222325ull;
  for (const auto& job : f.jobs) {
    if (sigma <= 0) {
      out.push_back(job.duration_s);
      continue;
    }
    const auto pair = mix(mix(basis ^ seed, f.devices[job.device].model), job.package);
    const auto own = mix(basis ^ (seed * 0x9E3779B97F4A7C15ull), job.id);
    const double factor = log_normal(pair, sigma) * log_normal(own, sigma / 2);
    const auto seconds = std::llround(static_cast<double>(job.duration_s) * factor);
    out.push_back(std::max<std::int64_t>(1, seconds));
  }
  return out;
}

}  // namespace headroom::sim
