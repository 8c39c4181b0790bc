#include "actors/detector/notifier.hpp"

#include <algorithm>
#include <caf/actor_system_config.hpp>
#include <caf/spawn_options.hpp>
#include <iostream>

#include "detector/detector_errors.hpp"
#include "distribution_api/json.hpp"

namespace headroom::detector {
namespace {

using self_pointer = notifier_impl::stateful_pointer<notifier_state>;

constexpr std::size_t max_detector_id = 200;  // Keys must stay under the API's 255 characters.

void log(self_pointer self, const std::string& line) {
  if (self->state.config.log)
    self->state.config.log(line);
  else
    std::cerr << "notifier: " << line << '\n';
}

std::string name_of(const outbox_entry& e) {
  return e.kind + " #" + std::to_string(e.seq) + " for proxy '" + e.proxy + "'";
}

void note_failure(self_pointer self, const std::string& what) {
  self->state.counters.failures++;
  self->state.counters.last_error = what;
}

std::chrono::milliseconds jittered(self_pointer self, std::chrono::milliseconds delay) {
  const auto jitter = self->state.config.jitter;
  if (jitter <= 0) return delay;
  std::uniform_real_distribution<double> share(0.0, jitter);
  const auto cut = static_cast<double>(delay.count()) * share(self->state.random);
  return delay - std::chrono::milliseconds(static_cast<std::int64_t>(cut));
}

void kick(self_pointer self, const std::string& proxy);

void retry_later(self_pointer self, const std::string& proxy) {
  auto& lane = self->state.lanes[proxy];
  lane.attempts++;
  lane.waiting = true;
  const auto delay = jittered(self, backoff_delay(self->state.config, lane.attempts));
  self->delayed_send(self, delay, atom::retry_v, proxy);
}

void delivered(self_pointer self, const outbox_entry& entry,
               const distribution_api::adjustment_outcome& outcome) {
  auto& st = self->state;
  auto& lane = st.lanes[entry.proxy];
  lane.in_flight = false;
  if (auto err = st.box->remove(entry.seq)) {
    // Sent but still stored: the next attempt is answered as a replay of this one.
    note_failure(self, describe(err));
    log(self, describe(err));
    retry_later(self, entry.proxy);
    return;
  }
  lane.attempts = 0;
  st.counters.delivered++;
  // Applied moves changed the schedule, and a refused one (409, 404) means the plan was
  // made on stale jobs: either way the fetcher should look again now, not at its next tick.
  if (entry.kind == "adjustment" && !outcome.results.empty() && st.fetcher)
    self->send(st.fetcher, atom::fetch_now_v);
  kick(self, entry.proxy);
}

void failed(self_pointer self, const outbox_entry& entry, const caf::error& err) {
  auto& st = self->state;
  st.lanes[entry.proxy].in_flight = false;
  const auto what = name_of(entry) + ": " + describe(err);
  note_failure(self, what);
  if (is_transient(err)) {
    retry_later(self, entry.proxy);
    return;
  }
  // Sending the same request again would be refused again: drop it so that the
  // proxy's later entries are not blocked behind it.
  st.counters.dropped++;
  log(self, "dropped " + what);
  if (auto gone = st.box->drop(entry.seq)) {
    log(self, describe(gone));
    retry_later(self, entry.proxy);
    return;
  }
  st.lanes[entry.proxy].attempts = 0;
  kick(self, entry.proxy);
}

bool owns(const notifier_state& st, const std::string& proxy) {
  const auto& owned = st.config.owned_proxies;
  return owned.empty() || std::find(owned.begin(), owned.end(), proxy) != owned.end();
}

/// Drops every stored entry of PROXY, which this detector does not own (any more).
void drop_foreign(self_pointer self, const std::string& proxy) {
  auto& st = self->state;
  std::uint64_t dropped = 0;
  for (;;) {
    auto front = st.box->front(proxy);
    if (!front || !*front) break;
    if (auto err = st.box->drop((**front).seq)) {
      log(self, describe(err));
      break;
    }
    ++dropped;
  }
  st.counters.dropped += dropped;
  st.lanes.erase(proxy);
  log(self, "dropped " + std::to_string(dropped) + " entries for proxy '" + proxy +
                "', which this detector does not own ([detection] proxies)");
}

/// Sends PROXY's oldest entry unless one is in flight or a retry is pending.
void kick(self_pointer self, const std::string& proxy) {
  auto& st = self->state;
  if (!owns(st, proxy)) {
    drop_foreign(self, proxy);
    return;
  }
  auto& lane = st.lanes[proxy];
  if (lane.in_flight || lane.waiting) return;
  auto front = st.box->front(proxy);
  if (!front) {
    note_failure(self, describe(front.error()));
    log(self, describe(front.error()));
    retry_later(self, proxy);
    return;
  }
  if (!*front) {
    st.lanes.erase(proxy);
    return;
  }
  lane.in_flight = true;
  auto entry = std::move(**front);
  self->request(st.client, st.config.delivery_timeout, atom::deliver_v, entry)
      .then(
          [self, entry](const distribution_api::adjustment_outcome& outcome) {
            delivered(self, entry, outcome);
          },
          [self, entry](const caf::error& err) { failed(self, entry, err); });
}

/// Stores first, then sends: whatever was accepted survives a crash before delivery.
void enqueue(self_pointer self, const std::string& proxy, const char* kind, const std::string& body,
             const std::string& fingerprint = {}) {
  auto& st = self->state;
  auto stored = st.box->append(proxy, kind, body, fingerprint);
  if (!stored) {
    const auto what =
        std::string(kind) + " for proxy '" + proxy + "' is lost: " + describe(stored.error());
    note_failure(self, what);
    log(self, what);
    return;
  }
  kick(self, proxy);
}

/// What a notification says, without when and by whom: the same news twice is one.
std::string news_of(distribution_api::notification_record n) {
  n.sent_at = 0;
  n.detector.clear();
  return distribution_api::write_notification(n);
}

void notify(self_pointer self, distribution_api::notification_record n) {
  auto& st = self->state;
  if (n.detector.empty()) n.detector = st.config.detector_id;
  const auto news = news_of(n);
  // A restarted detector reports every proxy's windows afresh; the outbox remembers
  // what was last said. Should the check fail, sending again is better than losing news.
  if (auto latest = st.box->is_latest(n.proxy, news); latest && *latest) {
    st.counters.unchanged++;
    return;
  }
  // No windows for a proxy never warned about: nothing to clear.
  if (n.windows.empty()) {
    if (auto known = st.box->has_news(n.proxy); known && !*known) {
      st.counters.unchanged++;
      return;
    }
  }
  enqueue(self, n.proxy, "notification", distribution_api::write_notification(n), news);
}

}  // namespace

domain::expected<notifier_config> validate(notifier_config c) {
  using domain::error;
  if (c.db_path.empty()) return error{"notifier.db_path", "the outbox file is not set"};
  if (c.detector_id.empty()) return error{"detector.id", "must not be empty"};
  if (c.detector_id.size() > max_detector_id)
    return error{"detector.id", "at most " + std::to_string(max_detector_id) + " characters"};
  if (c.backoff_min.count() <= 0) return error{"notify.backoff_min_ms", "must be positive"};
  if (c.backoff_max < c.backoff_min)
    return error{"notify.backoff_max_ms", "must be at least notify.backoff_min_ms"};
  if (!(c.jitter >= 0.0 && c.jitter < 1.0))
    return error{"notifier.jitter", "must be from 0 up to (not including) 1"};
  if (c.delivery_timeout.count() <= 0)
    return error{"notifier.delivery_timeout", "must be positive"};
  return c;
}

std::chrono::milliseconds backoff_delay(const notifier_config& config, std::uint32_t attempt) {
  auto delay = config.backoff_min;
  for (std::uint32_t i = 1; i < attempt && delay < config.backoff_max; ++i) delay *= 2;
  return std::min(delay, config.backoff_max);
}

notifier_impl::behavior_type notifier(self_pointer self, notifier_config config,
                                      std::shared_ptr<outbox> box, distribution_client_actor client,
                                      schedule_fetcher_actor fetcher) {
  auto& st = self->state;
  st.random.seed(config.jitter_seed != 0 ? config.jitter_seed : std::random_device{}());
  st.config = std::move(config);
  st.box = std::move(box);
  st.client = std::move(client);
  st.fetcher = std::move(fetcher);
  // What a previous run stored and did not deliver goes first, in its order.
  if (auto proxies = st.box->pending_proxies()) {
    for (const auto& proxy : *proxies) kick(self, proxy);
  } else {
    note_failure(self, describe(proxies.error()));
    log(self, describe(proxies.error()));
  }
  return {
      [self](distribution_api::notification_record n) { notify(self, std::move(n)); },
      [self](distribution_api::adjustment_record a) {
        if (a.source.empty()) a.source = self->state.config.detector_id;
        enqueue(self, a.proxy, "adjustment", distribution_api::write_adjustment(a));
      },
      [self](atom::status) -> outbox_status {
        auto out = self->state.counters;
        if (auto depth = self->state.box->depth())
          out.depth = *depth;
        else
          out.last_error = describe(depth.error());
        return out;
      },
      [self](atom::retry, const std::string& proxy) {
        self->state.lanes[proxy].waiting = false;
        kick(self, proxy);
      },
  };
}

caf::expected<notifier_actor> spawn_notifier(caf::actor_system& system, notifier_config config,
                                             distribution_client_actor client,
                                             schedule_fetcher_actor fetcher) {
  auto valid = validate(std::move(config));
  if (!valid) return invalid_config("notifier: " + valid.failure().message());
  config = std::move(*valid);
  if (!client) return invalid_config("notifier: no distribution client");
  auto box = outbox::open(config.db_path, config.detector_id);
  if (!box) return box.error();
  std::shared_ptr<outbox> shared = std::move(*box);
  if (config.own_thread)
    return caf::actor_cast<notifier_actor>(system.spawn<caf::detached>(
        notifier, std::move(config), std::move(shared), std::move(client), std::move(fetcher)));
  return caf::actor_cast<notifier_actor>(system.spawn(
      notifier, std::move(config), std::move(shared), std::move(client), std::move(fetcher)));
}

}  // namespace headroom::detector
