#include "actors/detector/node_registry.hpp"

#include <algorithm>
#include <iostream>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "detector/detector_errors.hpp"

namespace headroom::detector {
namespace {

using self_pointer = node_registry_impl::stateful_pointer<node_registry_state>;

void schedule_publish(self_pointer self) {
  auto& st = self->state;
  if (st.publish_pending) return;
  st.publish_pending = true;
  self->delayed_send(self, st.config.publish_delay, atom::publish_v);
}

bool owns(const node_registry_state& st, const std::string& proxy) {
  return st.owned.empty() || st.owned.count(proxy) > 0;
}

void log(self_pointer self, const std::string& line) {
  if (self->state.config.log)
    self->state.config.log(line);
  else
    std::cerr << "headroom detector: " << line << "\n";
}

/// Refuses NODE for announcing proxies this detector does not own: forgets what it
/// announced before, counts the announcement and logs the first one.
void refuse(self_pointer self, const std::string& node_id, const messages::node_hello& hello) {
  auto& st = self->state;
  ++st.refused_announcements;
  if (st.nodes.erase(node_id) > 0) schedule_publish(self);
  auto [it, first] = st.refused.try_emplace(node_id, hello.proxy_ids);
  if (!first && it->second == hello.proxy_ids) return;
  it->second = hello.proxy_ids;
  std::string foreign;
  for (const auto& p : hello.proxy_ids)
    if (!owns(st, p)) foreign += (foreign.empty() ? "" : ", ") + p;
  log(self, "refused node '" + node_id + "': it announces proxies this detector does not own (" +
                foreign + "; see [detection] proxies)");
}

void remember(self_pointer self) {
  auto& st = self->state;
  if (st.config.remember) st.config.remember(st.remembered);
}

void publish(self_pointer self) {
  auto& st = self->state;
  st.publish_pending = false;
  if (std::exchange(st.remember_pending, false)) remember(self);
  if (st.settling) return;  // settle() publishes
  auto topology = topology_of(st.nodes);
  if (topology == st.published) return;
  std::unordered_set<std::string_view> devices;
  for (const auto& p : topology.proxies) devices.insert(p.devices.begin(), p.devices.end());
  st.published_devices = static_cast<std::int64_t>(devices.size());
  st.published = topology;
  if (st.fetcher) self->send(st.fetcher, std::move(topology));
}

/// Ends the wait for the known nodes: those still missing are forgotten, so that a node
/// taken out of service delays no later restart; what was announced meanwhile goes out.
void settle(self_pointer self) {
  auto& st = self->state;
  if (!st.settling) return;
  st.settling = false;
  if (st.awaited.empty()) {
    log(self, "every known node announced itself again: detection starts");
  } else {
    std::string missing;
    for (const auto& n : st.awaited) {
      missing += (missing.empty() ? "" : ", ") + n;
      st.remembered.erase(n);
    }
    log(self, "detection starts without " + std::to_string(st.awaited.size()) +
                  " known node(s) that did not announce within detection.settle_ms: " + missing);
    st.awaited.clear();
    st.remember_pending = true;
  }
  schedule_publish(self);
}

/// NODE announced itself: known from now on, and one fewer to wait for.
void heard(self_pointer self, const std::string& node_id) {
  auto& st = self->state;
  // Written with the next publication: writing the whole list for each new node, 1,000
  // times at a fleet's start, held its whole topology back 2.1 s (0.28 s now).
  if (st.remembered.insert(node_id).second) {
    st.remember_pending = true;
    schedule_publish(self);
  }
  if (st.awaited.erase(node_id) > 0 && st.awaited.empty()) settle(self);
}

}  // namespace

topology_view topology_of(const std::map<std::string, node_registry_state::node>& nodes) {
  std::map<std::string, proxy_view> proxies;
  std::map<std::string, bool> announced_live;
  for (const auto& [node_id, node] : nodes) {
    for (const auto& proxy_id : node.hello.proxy_ids) {
      auto& view = proxies[proxy_id];
      view.id = proxy_id;
      view.nodes.push_back(node_id);
      // A live node's announcement wins over a stale one's.
      auto& live = announced_live[proxy_id];
      if (node.live || !live) {
        view.capacity = node.hello.capacity;
        view.threshold = node.hello.threshold;
      }
      live = live || node.live;
    }
    for (const auto& [proxy_id, devices] : node.devices) {
      auto& view = proxies[proxy_id];
      view.id = proxy_id;
      for (const auto& [device, mode] : devices)
        if (mode == domain::monitoring_mode::proxy) view.devices.push_back(device);
    }
  }
  topology_view out;
  for (auto& [id, view] : proxies) {
    std::sort(view.devices.begin(), view.devices.end());
    view.devices.erase(std::unique(view.devices.begin(), view.devices.end()), view.devices.end());
    std::sort(view.nodes.begin(), view.nodes.end());
    view.stale = !announced_live[id];
    out.proxies.push_back(std::move(view));
  }
  return out;
}

node_registry_impl::behavior_type node_registry(self_pointer self, node_registry_config config,
                                                schedule_fetcher_actor fetcher) {
  auto& st = self->state;
  st.config = std::move(config);
  st.owned.insert(st.config.proxies.begin(), st.config.proxies.end());
  st.awaited = st.config.known_nodes;
  st.remembered = st.config.known_nodes;
  st.settling = !st.awaited.empty();
  if (st.settling) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(st.config.settle_timeout);
    log(self, "waiting for " + std::to_string(st.awaited.size()) +
                  " known node(s) to announce themselves before detecting (at most " +
                  std::to_string(wait.count()) + " ms)");
    self->delayed_send(self, st.config.settle_timeout, atom::settle_v);
  }
  st.fetcher = std::move(fetcher);
  return {
      [=](const std::string& node_id, const messages::node_hello& hello) {
        auto& st = self->state;
        if (!std::all_of(hello.proxy_ids.begin(), hello.proxy_ids.end(),
                         [&](const std::string& p) { return owns(st, p); })) {
          refuse(self, node_id, hello);
          return;
        }
        st.refused.erase(node_id);
        auto& node = st.nodes[node_id];
        node.hello = hello;
        node.live = true;
        schedule_publish(self);
        heard(self, node_id);
      },
      [=](const std::string& node_id, const messages::node_heartbeat& load) {
        auto it = self->state.nodes.find(node_id);
        if (it != self->state.nodes.end()) it->second.load = load;
      },
      [=](const std::string& node_id, const messages::devices_seen& seen) {
        auto& st = self->state;
        if (st.refused.count(node_id) > 0 || !owns(st, seen.proxy_id)) {
          ++st.refused_announcements;
          return;
        }
        auto& devices = st.nodes[node_id].devices[seen.proxy_id];
        for (const auto& d : seen.devices) devices[d.device_id] = d.mode;
        schedule_publish(self);
      },
      [=](const std::string& node_id, const std::vector<messages::session_event>& events) {
        auto it = self->state.nodes.find(node_id);
        if (it != self->state.nodes.end()) it->second.session_events += events.size();
      },
      [=](const std::string& node_id, const messages::observed_duration& observed) {
        if (self->state.refused.count(node_id) > 0) return;
        ++self->state.observed_durations;
        if (self->state.fetcher) self->send(self->state.fetcher, node_id, observed);
      },
      [=](atom::node_up, const std::string& node_id) {
        auto it = self->state.nodes.find(node_id);
        if (it == self->state.nodes.end() || it->second.live) return;
        it->second.live = true;
        schedule_publish(self);
      },
      [=](atom::node_stale, const std::string& node_id) {
        auto it = self->state.nodes.find(node_id);
        if (it == self->state.nodes.end() || !it->second.live) return;
        it->second.live = false;
        schedule_publish(self);
      },
      [=](atom::publish) { publish(self); },
      [=](atom::settle) { settle(self); },
      [=](atom::status) {
        registry_status out;
        for (const auto& [id, node] : self->state.nodes)
          (node.live ? out.nodes_live : out.nodes_stale)++;
        // What detection works on, not built anew: /status is polled, and at 100,000
        // devices that would cost the registry a hundred milliseconds each time. Each proxy
        // summarised: copying its device names for every poll cost more than the answer.
        for (const auto& p : self->state.published.proxies)
          out.proxies.push_back({p.id, p.capacity, p.threshold,
                                 static_cast<std::int64_t>(p.devices.size()), p.nodes, p.stale});
        out.devices = self->state.published_devices;
        out.refused_nodes = self->state.refused;
        out.refused_announcements = self->state.refused_announcements;
        return out;
      },
  };
}

domain::expected<node_registry_config> validate(node_registry_config config) {
  if (config.publish_delay < caf::timespan{0})
    return domain::error{"publish_delay", "must not be negative"};
  if (config.settle_timeout < caf::timespan{0})
    return domain::error{"settle_ms", "must not be negative"};
  std::set<std::string> seen;
  for (const auto& proxy : config.proxies) {
    if (proxy.empty()) return domain::error{"proxies", "names an empty proxy id"};
    if (!seen.insert(proxy).second) return domain::error{"proxies", "lists '" + proxy + "' twice"};
  }
  return config;
}

caf::expected<node_registry_actor> spawn_node_registry(caf::actor_system& system,
                                                       node_registry_config config,
                                                       schedule_fetcher_actor fetcher) {
  auto valid = validate(config);
  if (!valid) return invalid_config("node registry: " + valid.failure().message());
  if (!fetcher) return invalid_config("node registry: no schedule fetcher");
  return caf::actor_cast<node_registry_actor>(
      system.spawn(node_registry, *valid, std::move(fetcher)));
}

}  // namespace headroom::detector
