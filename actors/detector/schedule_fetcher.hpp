#pragma once
// The schedule fetcher (claims 3, 6): periodically and on demand it asks the distribution
// system for contracts, devices, service schedules and the delivery jobs changed since its
// last fetch, and publishes the detector's model to the load detectors. Requests time out;
// failures retry with exponential backoff and jitter; after `breaker_failures` failures in
// a row the circuit opens and the distribution system is left alone for `breaker_open_for`,
// then one attempt (half-open) decides. A failed fetch keeps the last good model.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "actors/detector/interfaces.hpp"
#include "detector/http_connection.hpp"
#include "detector/model_builder.hpp"
#include "domain/duration_estimates.hpp"
#include "domain/expected.hpp"
#include "domain/wall_clock.hpp"

namespace headroom::detector {

/// The [fetch] section of the detector's configuration and the horizon and thresholds
/// of its [detection].
struct fetcher_config {
  caf::timespan interval = std::chrono::seconds{60};
  /// How long the fetcher waits for each request to the client: the client's own timeout.
  caf::timespan request_timeout = http_limits{}.request_timeout;
  caf::timespan backoff_min = std::chrono::seconds{1};
  caf::timespan backoff_max = std::chrono::seconds{60};
  std::uint32_t breaker_failures = 5;
  caf::timespan breaker_open_for = std::chrono::seconds{60};
  /// Every this many fetches, everything is read again (catches deleted jobs), on the
  /// side: the fetches of changes go on meanwhile.
  std::uint32_t full_refresh_every = 30;
  /// A fixed horizon, or (unset) a rolling one from the current hour for horizon_days.
  std::optional<domain::interval> horizon;
  std::int64_t horizon_days = 14;
  threshold_policy thresholds;
  std::uint64_t jitter_seed = 0x5eed;
  /// The detector's id, sent with its topology report so that the distribution system
  /// replaces only this detector's proxies; empty: the report replaces every proxy.
  std::string detector_id;
  /// Rolls the horizon and stamps the model; required.
  domain::wall_clock clock;
};

/// Checks the settings; the error names the setting as the detector's file spells it.
domain::expected<fetcher_config> validate(fetcher_config config);

/// The delay before retry number `attempt` (1-based): backoff_min doubled per attempt up
/// to backoff_max, plus up to half of it again drawn from `jitter` in [0, 1).
caf::timespan backoff_delay(const fetcher_config& config, std::uint32_t attempt, double jitter);

/// The fetcher's own handlers beyond its interface: its timer and the request outcomes.
using schedule_fetcher_impl =
    schedule_fetcher_actor::extend<caf::reacts_to<atom::fetch_tick, std::uint64_t>>;

struct schedule_fetcher_state {
  schedule_fetcher_state() = default;
  static constexpr const char* name = "schedule-fetcher";

  fetcher_config config;
  distribution_client_actor client;
  /// The second connection: the full refreshes, the first fetch's inventory and the
  /// topology reports go on it, so that none of them holds up the fetch of a change.
  distribution_client_actor sweeper;
  std::vector<load_detector_actor> detectors;

  topology_view topology;
  bool topology_changed = false;  ///< Since the last model.
  bool topology_reported = true;  ///< PUT to the distribution system since it changed.
  std::optional<distribution_api::inventory> inventory;
  job_map jobs;
  domain::instant updated_since = 0;
  /// The newest number of the server's change clock seen; -1: it has none (its jobs come
  /// with change_seq 0), so fetches ask by `updated_since`.
  std::int64_t changes_cursor = 0;
  domain::duration_estimates estimates;
  bool estimates_changed = false;
  /// Counts the changes of the topology and the estimates: a model drafted from a first
  /// fetch's parts is used only when neither changed while they arrived.
  std::uint64_t inputs_version = 0;
  std::optional<domain::interval> horizon;  ///< Of the current model.
  model_builder builder;

  bool in_flight = false;
  bool again = false;            ///< Asked to fetch while one was in flight.
  bool inventory_wanted = true;  ///< The next fetch reads the inventory too.
  std::uint32_t since_full = 0;  ///< Fetches since everything was read.
  bool sweeping = false;         ///< A full refresh is under way.
  domain::instant sweep_started = 0;
  std::uint64_t timer = 0;  ///< The armed tick; older ticks are ignored.
  std::uint32_t consecutive_failures = 0;
  std::optional<caf::actor_clock::time_point> open_until;
  std::mt19937_64 jitter;
  fetch_status status;
};

/// Validates the settings and the clock and spawns the fetcher, which asks `client` (and
/// `sweeper` for the long reads and writes beside the fetches of changes; unset: `client`)
/// and publishes to `detectors` (more may be sent to it later).
caf::expected<schedule_fetcher_actor> spawn_schedule_fetcher(
    caf::actor_system& system, fetcher_config config, distribution_client_actor client,
    std::vector<load_detector_actor> detectors = {}, distribution_client_actor sweeper = {});

schedule_fetcher_impl::behavior_type schedule_fetcher(
    schedule_fetcher_impl::stateful_pointer<schedule_fetcher_state> self, fetcher_config config,
    distribution_client_actor client, std::vector<load_detector_actor> detectors = {},
    distribution_client_actor sweeper = {});

}  // namespace headroom::detector
