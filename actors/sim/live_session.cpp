#include "actors/sim/live_session.hpp"

#include <algorithm>

namespace headroom::sim {
namespace {

/// The devices check in over this share of the time before the first delivery; the
/// detector has the rest to fetch, detect and (automatic mode) re-schedule.
constexpr std::int64_t check_in_share = 3;

}  // namespace

domain::expected<std::unique_ptr<live_session>> live_session::start(
    const domain::fleet& f, const domain::counting& counting, retry_policy policy,
    domain::interval horizon, const live_rig_config& config, domain::wall_clock clock,
    domain::instant first_delivery) {
  std::unique_ptr<live_session> s{new live_session()};
  auto rig = live_rig::start(f, config, clock);
  if (!rig) return rig.failure();
  s->rig_ = std::move(*rig);
  s->clients_ = std::make_unique<device_clients>(clock);
  s->rollout_ = std::make_unique<live_rollout>(f, counting, s->rig_->addresses(), s->rig_->images(),
                                               policy, horizon, *s->clients_, clock);
  s->agent_ = std::make_unique<distribution_agent>(f, s->rig_->addresses().origin,
                                                   s->rig_->api_token(), *s->rollout_, clock);
  s->rollout_->set_listener(s->agent_.get());
  const auto now_ms = clock.milliseconds();
  s->rollout_->check_in(now_ms + 500, std::max<std::int64_t>(
                                          1000, (first_delivery * 1000 - now_ms) / check_in_share));
  std::vector<domain::instant> starts(f.jobs.size());
  std::transform(f.jobs.begin(), f.jobs.end(), starts.begin(),
                 [](const domain::job& j) { return j.start; });
  s->rollout_->start(starts, first_delivery);
  return s;
}

live_session::~live_session() { stop(); }

void live_session::stop() {
  if (clients_) clients_->stop();
  if (agent_) agent_->stop();
  if (rig_) rig_->stop();
}

}  // namespace headroom::sim
