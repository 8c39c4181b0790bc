#include "actors/detector/detector_config.hpp"

#include <toml++/toml.h>

#include <functional>
#include <map>

namespace headroom::detector {
namespace {

using domain::error;
using setter = std::function<std::optional<std::string>(const toml::node&)>;

std::optional<std::string> as_string(const toml::node& n, std::string& out) {
  auto v = n.value<std::string>();
  if (!v) return "must be a string";
  out = *v;
  return std::nullopt;
}

template <class T>
std::optional<std::string> as_count(const toml::node& n, T& out) {
  auto v = n.value<std::int64_t>();
  if (!v || !n.is_integer()) return "must be an integer";
  if (*v < 0 || static_cast<std::uint64_t>(*v) > std::numeric_limits<T>::max())
    return "is out of range";
  out = static_cast<T>(*v);
  return std::nullopt;
}

std::optional<std::string> as_ms(const toml::node& n, std::chrono::milliseconds& out) {
  std::int64_t ms = 0;
  if (auto e = as_count(n, ms)) return e;
  out = std::chrono::milliseconds{ms};
  return std::nullopt;
}

std::optional<std::string> as_instant(const toml::node& n, std::optional<domain::instant>& out) {
  std::string text;
  if (auto e = as_string(n, text)) return e;
  auto t = domain::parse_rfc3339(text);
  if (!t) return "must be an RFC 3339 time: " + t.failure().what;
  out = *t;
  return std::nullopt;
}

struct horizon_bounds {
  std::optional<domain::instant> start, end;
};

std::map<std::string, setter> setters(detector_config& c, horizon_bounds& h) {
  return {
      {"detector.id", [&](const toml::node& n) { return as_string(n, c.id); }},
      {"detector.mode",
       [&](const toml::node& n) -> std::optional<std::string> {
         std::string text;
         if (auto e = as_string(n, text)) return e;
         auto mode = parse_mode(text);
         if (!mode) return "must be \"warn\" or \"auto\"";
         c.mode = *mode;
         return std::nullopt;
       }},
      {"detector.data_dir", [&](const toml::node& n) { return as_string(n, c.data_dir); }},
      {"detector.status", [&](const toml::node& n) { return as_string(n, c.status); }},
      {"bus.listen", [&](const toml::node& n) { return as_string(n, c.bus); }},
      {"bus.publish", [&](const toml::node& n) { return as_string(n, c.bus_publish); }},
      {"bus.heartbeat_ms", [&](const toml::node& n) { return as_ms(n, c.heartbeat); }},
      {"bus.heartbeat_timeout_ms",
       [&](const toml::node& n) { return as_ms(n, c.heartbeat_timeout); }},
      {"bus.curve_key_file", [&](const toml::node& n) { return as_string(n, c.curve_key_file); }},
      {"bus.curve_allowlist_file",
       [&](const toml::node& n) { return as_string(n, c.curve_allowlist_file); }},
      {"distribution.url", [&](const toml::node& n) { return as_string(n, c.distribution); }},
      {"distribution.api_token", [&](const toml::node& n) { return as_string(n, c.api_token); }},
      {"distribution.timeout_ms", [&](const toml::node& n) { return as_ms(n, c.request_timeout); }},
      {"fetch.interval_ms", [&](const toml::node& n) { return as_ms(n, c.fetch_interval); }},
      {"fetch.backoff_min_ms", [&](const toml::node& n) { return as_ms(n, c.backoff_min); }},
      {"fetch.backoff_max_ms", [&](const toml::node& n) { return as_ms(n, c.backoff_max); }},
      {"fetch.breaker_failures",
       [&](const toml::node& n) { return as_count(n, c.breaker_failures); }},
      {"fetch.breaker_open_ms", [&](const toml::node& n) { return as_ms(n, c.breaker_open); }},
      {"fetch.full_refresh_every",
       [&](const toml::node& n) { return as_count(n, c.full_refresh_every); }},
      {"detection.shards", [&](const toml::node& n) { return as_count(n, c.shards); }},
      {"detection.horizon_days", [&](const toml::node& n) { return as_count(n, c.horizon_days); }},
      {"detection.horizon_start", [&](const toml::node& n) { return as_instant(n, h.start); }},
      {"detection.horizon_end", [&](const toml::node& n) { return as_instant(n, h.end); }},
      {"detection.threshold",
       [&](const toml::node& n) -> std::optional<std::string> {
         std::int32_t t = 0;
         if (auto e = as_count(n, t)) return e;
         c.thresholds.absolute = t;
         return std::nullopt;
       }},
      {"detection.threshold_ratio",
       [&](const toml::node& n) -> std::optional<std::string> {
         auto v = n.value<double>();
         if (!v) return "must be a number";
         c.thresholds.ratio = *v;
         return std::nullopt;
       }},
      {"notify.backoff_min_ms",
       [&](const toml::node& n) { return as_ms(n, c.notify_backoff_min); }},
      {"notify.backoff_max_ms",
       [&](const toml::node& n) { return as_ms(n, c.notify_backoff_max); }},
  };
}

std::string line_of(const toml::node& n) {
  return " (line " + std::to_string(n.source().begin.line) + ")";
}

std::optional<error> apply(const toml::table& root, detector_config& c) {
  horizon_bounds h;
  const auto known = setters(c, h);
  for (const auto& [section, node] : root) {
    const auto* table = node.as_table();
    if (!table) return error{std::string(section.str()), "must be a [section]" + line_of(node)};
    for (const auto& [key, value] : *table) {
      const std::string name = std::string(section.str()) + "." + std::string(key.str());
      auto it = known.find(name);
      if (it == known.end()) return error{name, "is not a detector setting" + line_of(value)};
      if (auto problem = it->second(value)) return error{name, *problem + line_of(value)};
    }
  }
  if (h.start.has_value() != h.end.has_value())
    return error{"detection.horizon_start", "and detection.horizon_end go together"};
  if (h.start) c.horizon = domain::interval{*h.start, *h.end};
  return std::nullopt;
}

}  // namespace

std::optional<detector_mode> parse_mode(const std::string& text) {
  if (text == "warn") return detector_mode::warn;
  if (text == "auto") return detector_mode::automatic;
  return std::nullopt;
}

std::optional<error> validate(const detector_config& c) {
  if (c.id.empty()) return error{"detector.id", "must not be empty"};
  if (c.data_dir.empty()) return error{"detector.data_dir", "must not be empty"};
  if (c.bus.rfind("tcp://", 0) != 0 && c.bus.rfind("ipc://", 0) != 0 &&
      c.bus.rfind("inproc://", 0) != 0)
    return error{"bus.listen", "must be a tcp://, ipc:// or inproc:// endpoint, not " + c.bus};
  if (c.heartbeat.count() <= 0) return error{"bus.heartbeat_ms", "must be positive"};
  if (c.heartbeat_timeout <= c.heartbeat)
    return error{"bus.heartbeat_timeout_ms", "must exceed bus.heartbeat_ms"};
  if (c.curve_key_file.empty() != c.curve_allowlist_file.empty())
    return error{"bus.curve_key_file", "and bus.curve_allowlist_file go together"};
  if (c.distribution.rfind("http://", 0) != 0)
    return error{"distribution.url", "must be an http:// URL, not " + c.distribution};
  if (c.api_token.empty())
    return error{"distribution.api_token",
                 "must be set: the distribution system's bearer token (--api-token)"};
  if (c.request_timeout.count() <= 0) return error{"distribution.timeout_ms", "must be positive"};
  if (c.notify_backoff_min.count() <= 0) return error{"notify.backoff_min_ms", "must be positive"};
  if (c.notify_backoff_max < c.notify_backoff_min)
    return error{"notify.backoff_max_ms", "must be at least notify.backoff_min_ms"};
  if (c.shards > 256) return error{"detection.shards", "must be at most 256"};
  if (auto problem = validate(fetcher_config_of(c))) {
    const auto dot = problem->find(' ');
    return error{problem->substr(0, dot), problem->substr(dot + 1)};
  }
  return std::nullopt;
}

fetcher_config fetcher_config_of(const detector_config& c) {
  fetcher_config f;
  f.interval = c.fetch_interval;
  f.request_timeout = c.request_timeout;
  f.backoff_min = c.backoff_min;
  f.backoff_max = c.backoff_max;
  f.breaker_failures = c.breaker_failures;
  f.breaker_open_for = c.breaker_open;
  f.full_refresh_every = c.full_refresh_every;
  f.horizon = c.horizon;
  f.horizon_days = c.horizon_days;
  f.thresholds = c.thresholds;
  return f;
}

domain::expected<detector_config> read_detector_config(const std::string& path) {
  detector_config config;
  try {
    auto root = toml::parse_file(path);
    if (auto e = apply(root, config)) return error{path + ": " + e->where, e->what};
  } catch (const toml::parse_error& e) {
    return error{path + ":" + std::to_string(e.source().begin.line), std::string(e.description())};
  }
  return config;
}

domain::expected<std::string> publish_endpoint(const detector_config& c) {
  if (!c.bus_publish.empty()) return c.bus_publish;
  if (c.bus.rfind("tcp://", 0) != 0)
    return error{"bus.publish", "must be given for a non-tcp bus.listen"};
  const auto colon = c.bus.rfind(':');
  int port = 0;
  try {
    port = std::stoi(c.bus.substr(colon + 1));
  } catch (const std::exception&) {
    return error{"bus.listen", "has no port: " + c.bus};
  }
  if (port == 0) return error{"bus.publish", "must be given when bus.listen picks any port (0)"};
  if (port >= 65535) return error{"bus.listen", "port leaves no room for the PUB on the next port"};
  return c.bus.substr(0, colon + 1) + std::to_string(port + 1);
}

}  // namespace headroom::detector
