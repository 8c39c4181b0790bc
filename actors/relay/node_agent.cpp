#include "actors/relay/node_agent.hpp"

#include <algorithm>
#include <caf/actor_system_config.hpp>
#include <caf/sec.hpp>
#include <optional>

#include "actors/relay/relay_errors.hpp"
#include "domain/admission.hpp"

namespace headroom::relay {

namespace {

using relay::admission;
using relay::refusal_reason;
using self_pointer = node_agent_impl::stateful_pointer<node_agent_state>;

void count_refusal(self_pointer self, const relay::refusal& r) {
  auto& refused = self->state.counters.refused_total;
  refused[static_cast<std::size_t>(r.reason)]++;
  if (self->state.config.log_refusal) self->state.config.log_refusal(r);
  for (auto& sink : self->state.sinks) self->send(sink, r);
}

admission refuse(self_pointer self, refusal_reason reason, const std::string& device,
                 const std::string& client_address) {
  count_refusal(self, {reason, device, client_address, relay::to_label(reason)});
  return {false, reason, self->state.config.admission.retry_after_seconds, false};
}

// Why DEVICE cannot be admitted now, if it cannot.
std::optional<refusal_reason> blocked(const node_agent_state& st, const std::string& device) {
  auto it = st.connections.find(device);
  const bool active = it != st.connections.end();
  // The per-device limit guards the relay's sockets; the model knows devices, not sockets.
  if (active && it->second >= st.config.admission.per_device_connections)
    return refusal_reason::device_limit;
  if (!domain::admits(active, static_cast<std::int64_t>(st.connections.size()),
                      st.config.admission.capacity))
    return refusal_reason::capacity;
  return std::nullopt;
}

void watch(self_pointer self, const caf::actor_addr& session) {
  if (self->state.monitored.insert(session).second) self->monitor(session);
}

admission take_slot(self_pointer self, const caf::actor_addr& session, const std::string& device,
                    const std::string& client_address, bool waited) {
  auto& st = self->state;
  st.admitted.emplace(session, device);
  st.connections[device]++;
  st.counters.admitted_total++;
  if (st.seen.insert(device).second) {
    st.counters.devices_seen++;
    relay::device_first_seen seen{device, client_address, st.config.clock.milliseconds()};
    for (auto& sink : st.sinks) self->send(sink, seen);
  }
  return {true, refusal_reason::capacity, 0, waited};
}

// Admits waiting sessions, in arrival order, as far as the slots allow.
void admit_from_queue(self_pointer self) {
  auto& st = self->state;
  for (auto it = st.queue.begin(); it != st.queue.end();) {
    if (blocked(st, it->device)) {
      ++it;
      continue;
    }
    it->promise.deliver(take_slot(self, it->session, it->device, it->client_address, true));
    it = st.queue.erase(it);
  }
}

void release(self_pointer self, const caf::actor_addr& session) {
  auto& st = self->state;
  auto it = st.admitted.find(session);
  if (it == st.admitted.end()) return;
  auto conn = st.connections.find(it->second);
  if (conn != st.connections.end() && --conn->second == 0) st.connections.erase(conn);
  st.admitted.erase(it);
  admit_from_queue(self);
}

void record_duration(relay::relay_status& c, std::int64_t duration_ms) {
  const auto& bounds = relay::session_duration_buckets;
  if (c.duration_buckets.size() != bounds.size() + 1)
    c.duration_buckets.assign(bounds.size() + 1, 0);
  double seconds = static_cast<double>(duration_ms) / 1000.0;
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (seconds <= bounds[i]) c.duration_buckets[i]++;
  c.duration_buckets.back()++;
  c.duration_sum_seconds += seconds;
}

}  // namespace

domain::expected<node_agent_config> validate(node_agent_config c) {
  if (c.proxy_id.empty()) return domain::error{"proxy_id", "must not be empty"};
  auto admission = validate(c.admission);
  if (!admission) return admission.failure();
  c.admission = *admission;
  if (!c.clock) return domain::error{"clock", "no wall clock given"};
  return c;
}

node_agent_impl::behavior_type node_agent(self_pointer self, node_agent_config config) {
  self->state.config = std::move(config);
  self->state.counters.refused_total.assign(relay::refusal_reason_count, 0);
  self->state.counters.duration_buckets.assign(relay::session_duration_buckets.size() + 1, 0);
  self->set_down_handler([self](const caf::down_msg& down) {
    auto& st = self->state;
    st.monitored.erase(down.source);
    st.queue.erase(std::remove_if(st.queue.begin(), st.queue.end(),
                                  [&](const auto& w) { return w.session == down.source; }),
                   st.queue.end());
    auto sink = std::find_if(st.sinks.begin(), st.sinks.end(),
                             [&](const auto& s) { return s.address() == down.source; });
    if (sink != st.sinks.end()) st.sinks.erase(sink);
    release(self, down.source);  // a session that died without its report
  });
  return {
      [self](atom::admit, const std::string& device,
             const std::string& client_address) -> caf::result<admission> {
        auto& st = self->state;
        auto session = self->current_sender()
                           ? caf::actor_cast<caf::actor_addr>(self->current_sender())
                           : caf::actor_addr{};
        auto reason = blocked(st, device);
        if (!reason) {
          watch(self, session);
          return take_slot(self, session, device, client_address, false);
        }
        if (st.config.admission.on_full != on_full_policy::queue)
          return refuse(self, *reason, device, client_address);
        if (st.queue.size() >= st.config.admission.queue_limit)
          return refuse(self, refusal_reason::queue_full, device, client_address);
        watch(self, session);
        auto ticket = st.next_ticket++;
        auto promise = self->make_response_promise<admission>();
        st.queue.push_back({ticket, session, device, client_address, promise});
        st.counters.queued_total++;
        self->delayed_send(self, st.config.admission.queue_timeout, atom::expire_v, ticket);
        return promise;
      },
      [self](atom::expire, std::uint64_t ticket) {
        auto& st = self->state;
        auto it = std::find_if(st.queue.begin(), st.queue.end(),
                               [&](const auto& w) { return w.ticket == ticket; });
        if (it == st.queue.end()) return;  // admitted or gone meanwhile
        it->promise.deliver(
            refuse(self, refusal_reason::queue_timeout, it->device, it->client_address));
        st.queue.erase(it);
      },
      [self](const relay::session_report& report) {
        auto& c = self->state.counters;
        c.sessions_total++;
        c.bytes_from_devices += report.totals.bytes_from_device;
        c.bytes_to_devices += report.totals.bytes_to_device;
        if (report.admitted) record_duration(c, report.duration_ms);
        for (auto& sink : self->state.sinks) self->send(sink, report);
        release(self, caf::actor_cast<caf::actor_addr>(self->current_sender()));
      },
      [self](const relay::refusal& r) { count_refusal(self, r); },
      [self](atom::status) {
        const auto& st = self->state;
        auto s = st.counters;
        s.proxy_id = st.config.proxy_id;
        s.capacity = st.config.admission.capacity;
        s.threshold = st.config.admission.threshold;
        s.active_devices = static_cast<std::uint32_t>(st.connections.size());
        s.active_connections = static_cast<std::uint32_t>(st.admitted.size());
        s.queued = static_cast<std::uint32_t>(st.queue.size());
        for (const auto& [device, n] : st.connections) s.devices.push_back({device, n});
        return s;
      },
      [self](atom::subscribe, const relay::relay_event_sink_actor& sink) {
        self->monitor(sink);
        self->state.sinks.push_back(sink);
      },
  };
}

caf::expected<relay::node_agent_actor> spawn_node_agent(caf::actor_system& system,
                                                        node_agent_config config) {
  auto valid = validate(std::move(config));
  if (!valid)
    return caf::make_error(relay_errc::invalid_config, "node agent: " + valid.failure().message());
  relay::node_agent_actor handle = system.spawn(node_agent, std::move(*valid));
  return handle;
}

}  // namespace headroom::relay
