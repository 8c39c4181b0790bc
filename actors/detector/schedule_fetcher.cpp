#include "actors/detector/schedule_fetcher.hpp"

#include <algorithm>
#include <caf/actor_clock.hpp>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "detector/detector_errors.hpp"

namespace headroom::detector {
namespace {

using self_pointer = schedule_fetcher_impl::stateful_pointer<schedule_fetcher_state>;
using domain::instant;

constexpr std::int64_t seconds_per_day = 86'400;

domain::instant wall_now(const schedule_fetcher_state& st) { return st.config.clock.seconds(); }

domain::interval horizon_now(const schedule_fetcher_state& st) {
  if (st.config.horizon) return *st.config.horizon;
  // From the current hour, so that the rolling horizon moves (and rebuilds) once an hour.
  const domain::instant hour = wall_now(st) / 3600 * 3600;
  return {hour, hour + st.config.horizon_days * seconds_per_day};
}

void arm(self_pointer self, caf::timespan delay) {
  auto& st = self->state;
  self->delayed_send(self, delay, atom::fetch_tick_v, ++st.timer);
}

distribution_api::topology_record topology_report(const schedule_fetcher_state& st) {
  distribution_api::topology_record out;
  out.detector = st.config.detector_id;
  for (const auto& p : st.topology.proxies)
    out.proxies.push_back(
        {p.id, p.capacity, st.config.thresholds.apply(p.capacity, p.threshold), p.devices});
  return out;
}

void report_topology(self_pointer self) {
  auto& st = self->state;
  if (st.topology_reported || !st.client) return;
  st.topology_reported = true;
  // On the sweeper's connection: at 100,000 devices the report takes the distribution
  // system most of a second, and the fetches of changes behind it on the client's
  // connection waited as long.
  self->request(st.sweeper, st.config.request_timeout, atom::put_topology_v, topology_report(st))
      .then([](const std::vector<std::string>&) {},
            [self](const caf::error& err) {
              // Reported again with the next topology change or successful fetch.
              self->state.topology_reported = false;
              self->state.status.last_error = "PUT topology: " + to_string(err);
            });
}

/// Whether the topology names a device the inventory does not list: new to the
/// distribution system too, perhaps, so the inventory is read again.
bool names_unlisted_devices(const topology_view& topology,
                            const std::optional<distribution_api::inventory>& inventory) {
  if (!inventory) return true;
  std::unordered_set<std::string_view> listed;
  listed.reserve(inventory->devices.size());
  for (const auto& d : inventory->devices) listed.insert(d.id);
  for (const auto& p : topology.proxies)
    for (const auto& d : p.devices)
      if (!listed.count(d)) return true;
  return false;
}

void publish(self_pointer self, const model_ptr& model) {
  auto& st = self->state;
  st.status.generation = model->generation;
  st.status.devices = static_cast<std::int64_t>(model->fleet.devices.size());
  st.status.jobs =
      std::count(model->counting.job_counts.begin(), model->counting.job_counts.end(), 1);
  for (const auto& detector : st.detectors) self->send(detector, model);
}

/// Brings the model up to date with what is known: everything anew when the topology,
/// the inventory or the horizon changed, else only the changed jobs. A draft built from
/// what is known (the first fetch's parts as they arrived) stands in for the rebuild.
void refresh_model(self_pointer self, bool inventory_changed,
                   const std::vector<std::string>& changed,
                   const std::vector<std::string>& removed = {},
                   std::optional<model_draft> draft = std::nullopt) {
  auto& st = self->state;
  if (!st.inventory) return;
  const auto horizon = horizon_now(st);
  const auto now = wall_now(st);
  const bool full =
      !st.builder.current() || inventory_changed || st.topology_changed || st.horizon != horizon;
  if (full) {
    auto model = draft ? st.builder.adopt(std::move(*draft), horizon, now)
                       : st.builder.rebuild(st.topology, *st.inventory, st.jobs, st.estimates,
                                            horizon, st.config.thresholds, now);
    if (!model) {
      st.status.last_error = "the fetched schedule breaks the model: " + model.failure().message();
      return;
    }
    st.topology_changed = false;
    st.estimates_changed = false;
    st.horizon = horizon;
    publish(self, *model);
    return;
  }
  if (st.estimates_changed) {
    st.estimates_changed = false;
    if (auto model = st.builder.repredict(st.jobs, st.estimates, now)) publish(self, model);
  }
  if (!changed.empty() || !removed.empty())
    publish(self, st.builder.update(changed, st.jobs, st.estimates, now, removed));
}

/// Closes the circuit after a successful fetch and sends the topology report.
void note_success(self_pointer self) {
  auto& st = self->state;
  st.in_flight = false;
  st.consecutive_failures = 0;
  st.open_until.reset();
  st.status.circuit = "closed";
  st.status.last_success = wall_now(st);
  st.status.last_error.clear();
  st.status.stale_snapshot = false;
  // The report first: the distribution system applies it while the model is finished
  // (or rebuilt) and detected, instead of beside the planning and the deliveries that
  // follow, which need both cores.
  report_topology(self);
}

/// Keeps a fetched inventory; whether it differs from the one held.
bool take_inventory(schedule_fetcher_state& st, std::optional<distribution_api::inventory> inv) {
  if (!inv) return false;
  const bool changed = !st.inventory || *st.inventory != *inv;
  st.inventory = std::move(inv);
  st.inventory_wanted = false;
  return changed;
}

/// The jobs not received are unchanged, so the newest change is among these. The fetch
/// asked for them in the clock's order, so no job written before the newest is missing.
void advance_cursors(schedule_fetcher_state& st, const distribution_api::job_record& j) {
  st.updated_since = std::max(st.updated_since, j.updated_at);
  if (st.changes_cursor >= 0)
    st.changes_cursor = j.change_seq > 0 ? std::max(st.changes_cursor, j.change_seq) : -1;
}

/// Fetches again after a while, or at once when asked meanwhile.
void rearm(self_pointer self) {
  auto& st = self->state;
  if (st.again) {
    st.again = false;
    arm(self, caf::timespan{0});
  } else {
    arm(self, st.config.interval);
  }
}

job_map by_id(std::vector<distribution_api::job_record> jobs) {
  job_map out;
  for (auto& j : jobs) out.emplace(j.id, std::move(j));
  return out;
}

/// Takes every job the distribution system holds (a first fetch): the model is built
/// anew from them, from `draft` when one was built of the same inputs.
void took_everything(self_pointer self, std::optional<distribution_api::inventory> inventory,
                     job_map jobs, std::optional<model_draft> draft = std::nullopt) {
  auto& st = self->state;
  note_success(self);
  bool inventory_changed = take_inventory(st, std::move(inventory));
  for (const auto& [id, j] : jobs) advance_cursors(st, j);
  inventory_changed = inventory_changed || jobs != st.jobs;
  st.jobs = std::move(jobs);
  refresh_model(self, inventory_changed, {}, {}, std::move(draft));
  rearm(self);
}

/// Takes the jobs changed since the last fetch.
void took_changes(self_pointer self, std::optional<distribution_api::inventory> inventory,
                  std::vector<distribution_api::job_record> jobs) {
  auto& st = self->state;
  note_success(self);
  const bool inventory_changed = take_inventory(st, std::move(inventory));
  std::vector<std::string> changed;
  for (auto& j : jobs) {
    advance_cursors(st, j);
    auto [it, inserted] = st.jobs.try_emplace(j.id, j);
    if (!inserted && it->second == j) continue;
    it->second = std::move(j);
    changed.push_back(it->first);
  }
  refresh_model(self, inventory_changed, changed);
  rearm(self);
}

void failed(self_pointer self, const std::string& what) {
  auto& st = self->state;
  st.in_flight = false;
  ++st.status.failures;
  ++st.consecutive_failures;
  st.status.last_error = what;
  st.status.stale_snapshot = st.builder.current() != nullptr;
  if (st.consecutive_failures >= st.config.breaker_failures) {
    st.status.circuit = "open";
    st.open_until = self->clock().now() + st.config.breaker_open_for;
    arm(self, st.config.breaker_open_for);
    return;
  }
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  arm(self, backoff_delay(st.config, st.consecutive_failures, unit(st.jitter)));
}

/// Whether `a` is a later state of the job than `b`.
bool newer(const distribution_api::job_record& a, const distribution_api::job_record& b) {
  return std::pair{a.version, a.updated_at} > std::pair{b.version, b.updated_at};
}

/// Takes what a full refresh read: jobs the fetches of changes have not brought in
/// meanwhile are changes, and jobs it did not see are gone unless they changed after it
/// began (they may have been created after it read past their place).
void swept(self_pointer self, distribution_api::inventory inventory,
           std::vector<distribution_api::job_record> jobs) {
  auto& st = self->state;
  st.sweeping = false;
  const bool inventory_changed = st.inventory != inventory;
  st.inventory = std::move(inventory);
  std::unordered_set<std::string> seen;
  std::vector<std::string> changed;
  for (auto& j : jobs) {
    seen.insert(j.id);
    auto [it, inserted] = st.jobs.try_emplace(j.id, j);
    if (!inserted && (it->second == j || newer(it->second, j))) continue;
    it->second = std::move(j);
    changed.push_back(it->first);
  }
  std::vector<std::string> removed;
  std::erase_if(st.jobs, [&](const auto& entry) {
    const auto& [id, job] = entry;
    if (seen.count(id) || job.updated_at >= st.sweep_started) return false;
    removed.push_back(id);
    return true;
  });
  refresh_model(self, inventory_changed, changed, removed);
}

void sweep_failed(self_pointer self, const std::string& what) {
  auto& st = self->state;
  st.sweeping = false;
  ++st.status.failures;
  st.status.last_error = "full refresh: " + what;
}

/// Reads everything again on the sweeper, beside the fetches of changes.
void sweep(self_pointer self) {
  auto& st = self->state;
  st.sweeping = true;
  st.since_full = 0;
  st.sweep_started = wall_now(st);
  self->request(st.sweeper, st.config.request_timeout, atom::fetch_inventory_v)
      .then(
          [self](distribution_api::inventory& inv) {
            auto& st = self->state;
            // In storage order: it says nothing about the change clock.
            self->request(st.sweeper, st.config.request_timeout, atom::fetch_jobs_v,
                          domain::instant{0}, std::int64_t{-1})
                .then(
                    [self, inv = std::move(inv)](
                        std::vector<distribution_api::job_record>& jobs) mutable {
                      swept(self, std::move(inv), std::move(jobs));
                    },
                    [self](const caf::error& err) {
                      sweep_failed(self, "GET jobs: " + to_string(err));
                    });
          },
          [self](const caf::error& err) {
            sweep_failed(self, "GET inventory: " + to_string(err));
          });
}

/// What a fetch of the jobs asks: those changed at or after `since`, or, when the server
/// has a change clock (`after` not negative), those written after its number `after`; every
/// job when `all`.
std::pair<domain::instant, std::int64_t> jobs_asked(const schedule_fetcher_state& st, bool all) {
  const domain::instant since = all ? 0 : st.updated_since;
  if (st.changes_cursor < 0) return {since, -1};
  return {since, all ? 0 : st.changes_cursor};
}

/// Fetches the jobs changed since the last fetch, or every job (`all`).
void fetch_jobs(self_pointer self, std::optional<distribution_api::inventory> inventory, bool all) {
  auto& st = self->state;
  const auto [since, after] = jobs_asked(st, all);
  self->request(st.client, st.config.request_timeout, atom::fetch_jobs_v, since, after)
      .then(
          [self, inventory = std::move(inventory),
           all](std::vector<distribution_api::job_record>& jobs) mutable {
            if (all)
              took_everything(self, std::move(inventory), by_id(std::move(jobs)));
            else
              took_changes(self, std::move(inventory), std::move(jobs));
          },
          [self](const caf::error& err) { failed(self, "GET jobs: " + to_string(err)); });
}

/// A first fetch's parts, and the model built from them as they arrive.
struct first_fetch {
  std::optional<distribution_api::inventory> devices;  ///< Contracts, devices, packages.
  std::optional<std::vector<distribution_api::service_record>> services;
  std::optional<job_map> jobs;
  std::optional<model_draft> draft;
  std::uint64_t inputs = 0;  ///< The fetcher's inputs_version the draft was begun with.
  bool broken = false;       ///< One part failed; the others' answers are dropped.
};

/// Builds into the draft what has arrived and it lacks; done when all parts are in.
void advance(self_pointer self, first_fetch& got) {
  auto& st = self->state;
  if (!got.draft && got.devices) {
    got.draft.emplace(st.topology, *got.devices, st.config.thresholds);
    got.inputs = st.inputs_version;
  }
  if (!got.draft) return;
  if (got.services && !got.draft->has_services()) got.draft->add_services(*got.services);
  if (got.jobs && !got.draft->has_jobs()) got.draft->add_jobs(*got.jobs, st.estimates);
  if (!got.services || !got.jobs) return;
  auto inventory = std::move(*got.devices);
  inventory.services = std::move(*got.services);
  // Built on a topology or with estimates that changed since: built anew instead.
  std::optional<model_draft> draft;
  if (got.inputs == st.inputs_version) draft = std::move(got.draft);
  took_everything(self, std::move(inventory), std::move(*got.jobs), std::move(draft));
}

using broken_handler = std::function<void(const std::string&)>;

/// The services, asked once the devices are in: after a failed part they are not read.
void fetch_services(self_pointer self, const std::shared_ptr<first_fetch>& got,
                    const broken_handler& broke) {
  auto& st = self->state;
  self->request(st.sweeper, st.config.request_timeout, atom::fetch_services_v)
      .then(
          [self, got](distribution_api::inventory& inv) {
            if (got->broken) return;
            got->services = std::move(inv.services);
            advance(self, *got);
          },
          [broke](const caf::error& err) { broke("GET services: " + to_string(err)); });
}

/// Reads everything on two connections at once: the devices and then the services on the
/// sweeper's beside the jobs on the client's. At 100,000 devices each list takes most of a
/// second to page through; the model is built from each part as it arrives (the devices
/// while the services and the jobs are still read), so that it is ready soon after the
/// last part instead of a third of a second later.
void fetch_everything(self_pointer self) {
  auto got = std::make_shared<first_fetch>();
  const broken_handler broke = [self, got](const std::string& what) {
    if (!std::exchange(got->broken, true)) failed(self, what);
  };
  auto& st = self->state;
  self->request(st.sweeper, st.config.request_timeout, atom::fetch_devices_v)
      .then(
          [self, got, broke](distribution_api::inventory& inv) {
            if (got->broken) return;
            fetch_services(self, got, broke);  // first: the sweeper reads while the draft builds
            got->devices = std::move(inv);
            advance(self, *got);
          },
          [broke](const caf::error& err) { broke("GET inventory: " + to_string(err)); });
  const auto [since, after] = jobs_asked(st, true);
  self->request(st.client, st.config.request_timeout, atom::fetch_jobs_v, since, after)
      .then(
          [self, got](std::vector<distribution_api::job_record>& jobs) {
            if (got->broken) return;
            got->jobs = by_id(std::move(jobs));
            advance(self, *got);
          },
          [broke](const caf::error& err) { broke("GET jobs: " + to_string(err)); });
}

void fetch(self_pointer self) {
  auto& st = self->state;
  if (st.in_flight) {
    st.again = true;
    return;
  }
  if (st.open_until) {
    if (self->clock().now() < *st.open_until) return;  // The tick at open_until retries.
    st.status.circuit = "half-open";
  }
  st.in_flight = true;
  ++st.status.fetches;
  st.status.last_attempt = wall_now(st);
  const bool all_jobs = st.jobs.empty() || !st.inventory;
  if (!all_jobs && ++st.since_full >= st.config.full_refresh_every && !st.sweeping) sweep(self);
  if (!st.inventory_wanted && st.inventory) return fetch_jobs(self, std::nullopt, all_jobs);
  if (all_jobs && st.sweeper != st.client && !st.sweeping) return fetch_everything(self);
  self->request(st.client, st.config.request_timeout, atom::fetch_inventory_v)
      .then([self, all_jobs](
                distribution_api::inventory& inv) { fetch_jobs(self, std::move(inv), all_jobs); },
            [self](const caf::error& err) { failed(self, "GET inventory: " + to_string(err)); });
}

}  // namespace

domain::expected<fetcher_config> validate(fetcher_config c) {
  using caf::timespan;
  using domain::error;
  if (c.interval <= timespan{0}) return error{"fetch.interval_ms", "must be positive"};
  if (c.request_timeout <= timespan{0}) return error{"distribution.timeout_ms", "must be positive"};
  if (c.backoff_min <= timespan{0}) return error{"fetch.backoff_min_ms", "must be positive"};
  if (c.backoff_max < c.backoff_min)
    return error{"fetch.backoff_max_ms", "must be at least fetch.backoff_min_ms"};
  if (c.breaker_failures == 0) return error{"fetch.breaker_failures", "must be at least 1"};
  if (c.breaker_open_for <= timespan{0}) return error{"fetch.breaker_open_ms", "must be positive"};
  if (c.full_refresh_every == 0) return error{"fetch.full_refresh_every", "must be at least 1"};
  if (c.horizon && c.horizon->empty())
    return error{"detection.horizon", "must end after it starts"};
  if (!c.horizon && (c.horizon_days < 1 || c.horizon_days > 366))
    return error{"detection.horizon_days", "must be between 1 and 366"};
  if (c.thresholds.absolute && *c.thresholds.absolute < 0)
    return error{"detection.threshold", "must not be negative"};
  if (c.thresholds.ratio && (*c.thresholds.ratio <= 0 || *c.thresholds.ratio > 1))
    return error{"detection.threshold_ratio", "must be in (0, 1]"};
  if (c.thresholds.absolute && c.thresholds.ratio)
    return error{"detection.threshold", "and detection.threshold_ratio exclude each other"};
  return c;
}

caf::timespan backoff_delay(const fetcher_config& config, std::uint32_t attempt, double jitter) {
  auto delay = config.backoff_min;
  for (std::uint32_t i = 1; i < attempt && delay < config.backoff_max; ++i) delay *= 2;
  delay = std::min(delay, config.backoff_max);
  return delay + std::chrono::duration_cast<caf::timespan>(delay * (jitter / 2));
}

schedule_fetcher_impl::behavior_type schedule_fetcher(self_pointer self, fetcher_config config,
                                                      distribution_client_actor client,
                                                      std::vector<load_detector_actor> detectors,
                                                      distribution_client_actor sweeper) {
  auto& st = self->state;
  st.jitter.seed(config.jitter_seed);
  st.config = std::move(config);
  st.sweeper = sweeper ? std::move(sweeper) : client;
  st.client = std::move(client);
  st.detectors = std::move(detectors);
  arm(self, caf::timespan{0});
  return {
      [=](topology_view& topology) {
        auto& st = self->state;
        if (topology == st.topology) return;
        // Devices the inventory does not list may be new to it too: read it with the next
        // fetch. Only those: while a fleet's nodes announce themselves, the topology grows
        // many times over, and reading 100,000 devices again each time held up the fetches
        // of changes for seconds.
        st.inventory_wanted = st.inventory_wanted || names_unlisted_devices(topology, st.inventory);
        st.topology = std::move(topology);
        st.topology_changed = true;
        ++st.inputs_version;
        st.topology_reported = false;
        // Detect on what is known at once: the distribution system may be down.
        refresh_model(self, false, {});
        fetch(self);
      },
      [=](std::vector<load_detector_actor>& detectors) {
        auto& st = self->state;
        for (auto& detector : detectors) {
          if (st.builder.current()) self->send(detector, st.builder.current());
          st.detectors.push_back(std::move(detector));
        }
      },
      [=](atom::fetch_now) { fetch(self); },
      [=](const std::string&, const messages::observed_duration& observed) {
        auto& st = self->state;
        if (st.estimates.observe(observed.device_model, observed.package_id,
                                 observed.transfer_ms)) {
          st.estimates_changed = true;
          ++st.inputs_version;
          refresh_model(self, false, {});
        }
      },
      [=](atom::fetch_tick, std::uint64_t timer) {
        if (timer == self->state.timer) fetch(self);
      },
      [=](atom::status) { return self->state.status; },
  };
}

caf::expected<schedule_fetcher_actor> spawn_schedule_fetcher(
    caf::actor_system& system, fetcher_config config, distribution_client_actor client,
    std::vector<load_detector_actor> detectors, distribution_client_actor sweeper) {
  auto valid = validate(std::move(config));
  if (!valid) return invalid_config("schedule fetcher: " + valid.failure().message());
  // The clock is the caller's, not the configuration file's: checked here, not in validate.
  if (!valid->clock) return invalid_config("schedule fetcher: no wall clock given");
  if (!client) return invalid_config("schedule fetcher: no distribution client");
  return caf::actor_cast<schedule_fetcher_actor>(
      system.spawn(schedule_fetcher, std::move(*valid), std::move(client), std::move(detectors),
                   std::move(sweeper)));
}

}  // namespace headroom::detector
