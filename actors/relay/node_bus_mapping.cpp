#include "actors/relay/node_bus_mapping.hpp"

#include "common/percent.hpp"

namespace headroom::relay {
namespace {

using relay::refusal_reason;

// `host:port` of an absolute URL, or the URL itself for a tunnel (already `host:port`).
std::string authority_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto start = scheme + 3;
  return url.substr(start, url.find_first_of("/?#", start) - start);
}

}  // namespace

std::vector<messages::session_event> session_events(const relay::session_report& report,
                                                    const std::string& proxy_id,
                                                    domain::instant now) {
  if (!report.admitted || report.device_id.empty()) return {};
  const auto upstream = report.totals.transfers.empty()
                            ? std::string{}
                            : authority_of(report.totals.transfers.front().url);
  messages::session_event opened{report.device_id,
                                 proxy_id,
                                 messages::session_outcome::opened,
                                 now - report.duration_ms / 1000,
                                 0,
                                 0,
                                 0,
                                 upstream,
                                 {},  // instance, sequence: stamped by the bus bridge
                                 0,
                                 0};
  messages::session_event closed{report.device_id,
                                 proxy_id,
                                 messages::session_outcome::closed,
                                 now,
                                 report.totals.bytes_from_device,
                                 report.totals.bytes_to_device,
                                 report.duration_ms,
                                 upstream,
                                 {},
                                 0,
                                 0};
  return {std::move(opened), std::move(closed)};
}

std::optional<messages::session_event> refused_event(const relay::refusal& refusal,
                                                     const std::string& proxy_id,
                                                     domain::instant now) {
  switch (refusal.reason) {
    case refusal_reason::capacity:
    case refusal_reason::device_limit:
    case refusal_reason::queue_full:
    case refusal_reason::queue_timeout:
      if (refusal.device_id.empty()) return std::nullopt;
      return messages::session_event{refusal.device_id,
                                     proxy_id,
                                     messages::session_outcome::refused,
                                     now,
                                     0,
                                     0,
                                     0,
                                     {},
                                     {},
                                     0,
                                     0};
    default:
      return std::nullopt;
  }
}

std::optional<std::string> package_of(const std::string& url, const std::string& package_path) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return std::nullopt;  // a tunnel: the path is encrypted
  auto path_start = url.find('/', scheme + 3);
  if (path_start == std::string::npos) return std::nullopt;
  auto path = url.substr(path_start, url.find_first_of("?#", path_start) - path_start);
  if (path.size() <= package_path.size() || path.compare(0, package_path.size(), package_path) != 0)
    return std::nullopt;
  auto name = path.substr(package_path.size());
  if (name.find('/') != std::string::npos) return std::nullopt;  // another route below the prefix
  auto decoded = common::percent_decode(name);
  if (!decoded || decoded->empty()) return std::nullopt;
  return decoded;
}

std::vector<messages::observed_duration> observed_durations(
    const relay::session_report& report, const std::map<std::string, std::string>& models,
    const std::string& package_path, domain::instant now) {
  std::vector<messages::observed_duration> out;
  for (const auto& transfer : report.totals.transfers) {
    if (transfer.method != "GET" || (transfer.status != 200 && transfer.status != 206)) continue;
    auto package = package_of(transfer.url, package_path);
    if (!package) continue;
    auto model = models.find(report.device_id);
    out.push_back({model == models.end() ? unknown_model : model->second,
                   std::move(*package),
                   transfer.bytes,
                   transfer.duration_ms,
                   now,
                   {},
                   0,
                   0});
  }
  return out;
}

}  // namespace headroom::relay
