#include "actors/detector/detector_config.hpp"

#include <filesystem>

#include "bus/endpoints.hpp"
#include "bus/heartbeat.hpp"
#include "common/host_port.hpp"
#include "common/toml_reader.hpp"

namespace headroom::detector {
namespace {

using domain::error;

std::optional<error> validate_bus(detector_config& c) {
  if (auto e = bus::check_bind_endpoint(c.bus)) return domain::nest("bus.listen", *e);
  if (c.bus_publish.empty()) {
    auto pub = bus::pub_endpoint_beside(c.bus, "bus.listen");
    if (!pub) return domain::nest("bus.publish", pub.failure());
    c.bus_publish = *pub;
  }
  if (auto e = bus::check_bind_endpoint(c.bus_publish)) return domain::nest("bus.publish", *e);
  if (auto e = bus::check_heartbeat(c.heartbeat_interval, c.heartbeat_timeout,
                                    "bus.heartbeat_interval_ms", "bus.heartbeat_timeout_ms"))
    return e;
  if (c.key_file.empty() != c.allowlist_file.empty())
    return error{"bus.key_file", "and bus.allowlist_file go together"};
  return std::nullopt;
}

// A fixed horizon is given as two instants, both or neither.
struct horizon_bounds {
  std::optional<domain::instant> start, end;
};

domain::expected<domain::instant> instant_of(const std::string& text) {
  auto t = domain::parse_rfc3339(text);
  if (!t) return error{"", "must be an RFC 3339 time: " + t.failure().what};
  return *t;
}

// The file's settings, section by section; a key the file lacks keeps the default in C.
void read_sections(common::toml_reader& file, detector_config& c) {
  auto detector = file.section("detector");
  detector.read("id", c.id);
  detector.choose("mode", c.mode, detector_modes);
  detector.read("data_dir", c.data_dir);
  detector.read("status", c.status);
  auto bus = file.section("bus");
  bus.read("listen", c.bus);
  bus.read("publish", c.bus_publish);
  bus.read("heartbeat_interval_ms", c.heartbeat_interval);
  bus.read("heartbeat_timeout_ms", c.heartbeat_timeout);
  bus.read("key_file", c.key_file);
  bus.read("allowlist_file", c.allowlist_file);
  auto distribution = file.section("distribution");
  distribution.read("url", c.distribution.url);
  distribution.read("api_token", c.distribution.api_token);
  distribution.read("timeout_ms", c.distribution.request_timeout);
  auto fetch = file.section("fetch");
  fetch.read("interval_ms", c.fetch.interval);
  fetch.read("backoff_min_ms", c.fetch.backoff_min);
  fetch.read("backoff_max_ms", c.fetch.backoff_max);
  fetch.read("breaker_failures", c.fetch.breaker_failures);
  fetch.read("breaker_open_ms", c.fetch.breaker_open_for);
  fetch.read("full_refresh_every", c.fetch.full_refresh_every);
  auto detection = file.section("detection");
  detection.read("shards", c.shards);
  detection.read("proxies", c.registry.proxies);
  detection.read("settle_ms", c.registry.settle_timeout);
  detection.read("horizon_days", c.fetch.horizon_days);
  horizon_bounds h;
  detection.parse("horizon_start", h.start, instant_of);
  detection.parse("horizon_end", h.end, instant_of);
  if (h.start.has_value() != h.end.has_value())
    detection.refuse(h.start ? "horizon_start" : "horizon_end",
                     "goes with detection.horizon_" + std::string(h.start ? "end" : "start"));
  else if (h.start)
    c.fetch.horizon = domain::interval{*h.start, *h.end};
  detection.read("threshold", c.fetch.thresholds.absolute);
  detection.read("threshold_ratio", c.fetch.thresholds.ratio);
  auto notify = file.section("notify");
  notify.read("backoff_min_ms", c.notify.backoff_min);
  notify.read("backoff_max_ms", c.notify.backoff_max);
}

}  // namespace

std::optional<detector_mode> parse_mode(std::string_view text) {
  return common::pick(detector_modes, text);
}

domain::expected<detector_config> validate(detector_config c) {
  if (c.id.empty()) return error{"detector.id", "must not be empty"};
  if (c.data_dir.empty()) return error{"detector.data_dir", "must not be empty"};
  if (auto status = common::parse_host_port(c.status); !status)
    return domain::nest("detector.status", status.failure());
  if (auto e = validate_bus(c)) return *e;
  auto distribution = validate(std::move(c.distribution));
  if (!distribution) return distribution.failure();
  c.distribution = std::move(*distribution);
  c.fetch.request_timeout = c.distribution.request_timeout;
  c.fetch.detector_id = c.id;
  auto fetch = validate(std::move(c.fetch));
  if (!fetch) return fetch.failure();
  c.fetch = std::move(*fetch);
  if (c.shards > 256) return error{"detection.shards", "must be at most 256"};
  auto registry = validate(std::move(c.registry));
  if (!registry) return domain::nest("detection", registry.failure());
  c.registry = std::move(*registry);
  c.notify.db_path = (std::filesystem::path(c.data_dir) / "outbox.sqlite3").string();
  c.notify.detector_id = c.id;
  c.notify.owned_proxies = c.registry.proxies;
  c.notify.delivery_timeout = delivery_timeout_for(c.distribution.request_timeout);
  auto notify = validate(std::move(c.notify));
  if (!notify) return notify.failure();
  c.notify = std::move(*notify);
  return c;
}

domain::expected<detector_config> read_detector_config(const std::string& path) {
  return common::read_toml_file<detector_config>(path, "detector", read_sections);
}

domain::expected<detector_config> read_detector_config_text(std::string_view text,
                                                            const std::string& source) {
  return common::read_toml_text<detector_config>(text, source, "detector", read_sections);
}

}  // namespace headroom::detector
