#pragma once
// The notifier (claims 1, 4, 5 and 7): writes every notification and adjustment to its
// outbox first, then delivers the outbox through the distribution client, in order per
// proxy with at most one delivery in flight per proxy (proxies do not wait for each
// other). A transient failure is retried after an exponential backoff with jitter on the
// actor clock; a permanent one (the distribution system refuses the request itself) is
// dropped, counted and logged, so that one bad entry cannot block its proxy forever.
// Every delivered adjustment asks the schedule fetcher to fetch now: applied moves changed
// the schedule, and refused ones (409: the job changed; 404: it is gone) mean the plan was
// made on stale data and must be recomputed.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "actors/detector/interfaces.hpp"
#include "detector/http_connection.hpp"
#include "detector/outbox.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

/// How long one delivery may take before it counts as failed: above the client's own
/// timeout (a delivery can take a few requests).
constexpr std::chrono::milliseconds delivery_timeout_for(
    std::chrono::milliseconds request_timeout) {
  return 4 * request_timeout;
}

/// The [notify] section of the detector's configuration, and what the detector derives
/// for it (the outbox file, its id, the delivery timeout).
struct notifier_config {
  std::string db_path;      ///< The outbox file, in the detector's data dir.
  std::string detector_id;  ///< Prefix of every idempotency key; the notification's `detector`.
  /// The proxies this detector owns (the registry's `[detection] proxies`); empty: every
  /// proxy. An entry for another proxy — stored before the shards were changed — is
  /// dropped (counted, logged), never delivered over its new owner's notifications.
  std::vector<std::string> owned_proxies;
  std::chrono::milliseconds backoff_min{500};     ///< Wait after the first failure.
  std::chrono::milliseconds backoff_max{60'000};  ///< The wait doubles up to this.
  double jitter = 0.5;  ///< Each wait is shortened by up to this share, at random (0: exact).
  std::uint64_t jitter_seed = 0;  ///< 0: seeded from std::random_device.
  std::chrono::milliseconds delivery_timeout = delivery_timeout_for(http_limits{}.request_timeout);
  /// Logs drops and storage failures (optional; standard error when empty).
  std::function<void(const std::string&)> log;
  /// Delivers on a thread of its own instead of the scheduler's: each outbox write waits
  /// for the disk (synchronous = FULL), and a first detection's hundreds of them held a
  /// scheduler worker, with the load detectors waiting behind them. Off in tests, which
  /// run on CAF's test coordinator.
  bool own_thread = false;
};

/// Checks the settings; the error names the setting.
domain::expected<notifier_config> validate(notifier_config config);

/// The notifier's private timer: PROXY's backoff is over.
using notifier_impl = notifier_actor::extend<caf::reacts_to<atom::retry, std::string>>;

struct notifier_state {
  notifier_state() = default;

  static constexpr const char* name = "notifier";

  /// Where one proxy's delivery stands.
  struct lane {
    bool in_flight = false;      ///< A deliver request is out.
    bool waiting = false;        ///< A retry timer is armed.
    std::uint32_t attempts = 0;  ///< Failures of the entry at the front.
  };

  notifier_config config;
  std::shared_ptr<outbox> box;
  distribution_client_actor client;
  schedule_fetcher_actor fetcher;
  std::map<std::string, lane> lanes;
  outbox_status counters;  ///< depth is read from the outbox on request.
  std::mt19937_64 random;
};

notifier_impl::behavior_type notifier(notifier_impl::stateful_pointer<notifier_state> self,
                                      notifier_config config, std::shared_ptr<outbox> box,
                                      distribution_client_actor client,
                                      schedule_fetcher_actor fetcher);

/// The wait before retry number ATTEMPT (1 after the first failure), before jitter.
std::chrono::milliseconds backoff_delay(const notifier_config& config, std::uint32_t attempt);

/// Validates, opens the outbox and spawns; the new notifier delivers what the outbox
/// holds at once. FETCHER may be null (no re-fetch after refused moves).
caf::expected<notifier_actor> spawn_notifier(caf::actor_system& system, notifier_config config,
                                             distribution_client_actor client,
                                             schedule_fetcher_actor fetcher);

}  // namespace headroom::detector
