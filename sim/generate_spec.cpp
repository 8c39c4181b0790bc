#include "sim/generate_spec.hpp"

#include <charconv>
#include <set>
#include <string_view>

namespace headroom::sim {
namespace {

template <class T>
domain::expected<T> number(std::string_view key, std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return domain::error{"--generate",
                         std::string(key) + "=" + std::string(text) + ": not a whole number"};
  return value;
}

}  // namespace

domain::expected<fleet_generator_config> parse_generate_spec(const std::string& spec) {
  fleet_generator_config config;
  std::set<std::string, std::less<>> seen;
  std::string_view rest = spec;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return domain::error{"--generate", "'" + std::string(item) + "' is not key=value"};
    const auto key = item.substr(0, eq);
    const auto value = item.substr(eq + 1);
    if (!seen.emplace(key).second)
      return domain::error{"--generate", std::string(key) + " given twice"};
    std::int64_t* target = key == "devices"     ? &config.devices
                           : key == "proxies"   ? &config.proxies
                           : key == "customers" ? &config.customers
                           : key == "days"      ? &config.days
                                                : nullptr;
    if (target) {
      auto n = number<std::int64_t>(key, value);
      if (!n) return n.failure();
      *target = *n;
    } else if (key == "seed") {
      auto n = number<std::uint64_t>(key, value);
      if (!n) return n.failure();
      config.seed = *n;
    } else {
      return domain::error{"--generate", "unknown key '" + std::string(key) +
                                             "' (devices, proxies, customers, days, seed)"};
    }
  }
  for (const char* required : {"devices", "proxies"})
    if (!seen.contains(required))
      return domain::error{"--generate", std::string("needs ") + required + "=N"};
  auto valid = validate(config);
  // The generator's errors name gen-fleet's flags; here they are keys of --generate.
  if (!valid) {
    auto where = valid.failure().where;
    if (where.starts_with("--")) where.erase(0, 2);
    return domain::error{"--generate " + where, valid.failure().what};
  }
  return valid;
}

}  // namespace headroom::sim
