#pragma once
// What the relay's events become on the bus: the pure half of the node bus adapter.
// A session report turns into session events (opened, then closed with its totals) and
// its large downloads into measured transfer times; a refusal for load into a refused
// session event. No actors and no clocks: the adapter passes the time in.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "messages/types.hpp"
#include "relay/relay_values.hpp"

namespace headroom::relay {

/// The model reported for a device the configuration does not name.
inline constexpr const char* unknown_model = "unknown";

/// The opened and closed events of an admitted session that ended at `now`; none for a
/// session that was never admitted (its refusal, if any, is reported on its own).
std::vector<messages::session_event> session_events(const relay::session_report& report,
                                                    const std::string& proxy_id,
                                                    domain::instant now);

/// A refused session event for a refusal for load (capacity, device limit, queue full or
/// timed out); nothing for refusals that say nothing about the proxy's load (malformed,
/// forbidden, upstream failures), which the relay counts and logs itself.
std::optional<messages::session_event> refused_event(const relay::refusal& refusal,
                                                     const std::string& proxy_id,
                                                     domain::instant now);

/// The package of a download URL under `package_path` (`http://h/firmware/pkg-7` with
/// "/firmware/" gives "pkg-7", percent-decoded), or nothing for any other URL.
std::optional<std::string> package_of(const std::string& url, const std::string& package_path);

/// The measured transfer times of a session's completed package downloads (GET, 200 or
/// 206, under `package_path`); the model comes from `models`, else `unknown_model`.
std::vector<messages::observed_duration> observed_durations(
    const relay::session_report& report, const std::map<std::string, std::string>& models,
    const std::string& package_path, domain::instant now);

}  // namespace headroom::relay
