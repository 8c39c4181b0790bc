#include "actors/sim/auto_rollout.hpp"

#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <limits>
#include <stdexcept>

#include "actors/detector/adjuster.hpp"
#include "actors/detector/load_detector.hpp"
#include "actors/type_registry.hpp"

namespace headroom::sim {
namespace {

using domain::index_t;
using domain::instant;
using self_pointer = rollout_simulator_actor::stateful_pointer<rollout_simulator_state>;

rollout_simulator_actor::behavior_type rollout_simulator(self_pointer self, replay* r,
                                                         detector_view* view, progress_lane* lane) {
  auto& st = self->state;
  st.replay_ = r;
  st.view = view;
  st.lane = lane;
  return {
      [=](std::vector<detector::load_detector_actor>& detectors) {
        self->state.detectors = std::move(detectors);
      },
      [=](atom::advance) {
        auto& st = self->state;
        for (std::uint32_t steps = 1;; ++steps) {
          const auto next = st.replay_->next_instant();
          if (auto model = st.view->due_model(next)) {
            for (const auto& d : st.detectors) self->send(d, model);
            return;
          }
          if (!next) return;
          st.replay_->step();
          if (steps % 4096 == 0) {
            st.lane->reached.store(st.replay_->now(), std::memory_order_relaxed);
            st.lane->finished.store(st.replay_->finished(), std::memory_order_relaxed);
          }
        }
      },
      [=](const distribution_api::adjustment_record& adjustment) {
        auto& st = self->state;
        for (const auto& move : adjustment.moves)
          ++(st.view->apply(move) ? st.moves_applied : st.moves_refused);
      },
      [=](const distribution_api::notification_record&) { ++self->state.notifications; },
      [=](atom::status) {
        detector::outbox_status status;
        status.delivered = self->state.notifications + self->state.moves_applied;
        status.dropped = self->state.moves_refused;
        return status;
      },
  };
}

struct auto_config : caf::actor_system_config {
  auto_config() {
    set("scheduler.policy", caf::atom("testing"));
    set("logger.verbosity", caf::atom("quiet"));
    actors::register_types(*this);
  }
};

}  // namespace

detector_view::detector_view(const rollout_case& c, replay& r, const domain::schedule& plan,
                             std::int64_t replan_interval_s)
    : case_(c),
      replay_(r),
      interval_s_(replan_interval_s),
      model_(std::make_shared<detector::detector_model>()),
      is_changed_(c.fleet.jobs.size(), 0),
      due_(std::numeric_limits<instant>::min()) {
  auto& m = *model_;
  m.fleet = c.fleet;
  m.fleet.horizon = c.horizon;
  m.counting = c.counting;
  // The replay changes starts, durations and counts only: one index serves every model.
  m.neighbourhoods = std::make_shared<const domain::neighbourhoods>(m.fleet);
  m.job_versions.assign(c.fleet.jobs.size(), 1);
  for (index_t j = 0; j < c.fleet.jobs.size(); ++j) {
    m.fleet.jobs[j].start = plan[j];
    job_index_.emplace(c.fleet.jobs[j].id, j);
    pair_jobs_[{c.fleet.devices[c.fleet.jobs[j].device].model, c.fleet.jobs[j].package}].push_back(
        j);
  }
}

std::int64_t detector_view::predicted(index_t job) const {
  const auto& j = case_.fleet.jobs[job];
  return estimates_.predict(case_.fleet.devices[j.device].model, j.package, j.duration_s);
}

void detector_view::changed(index_t job, bool replan) {
  auto& modelled = model_->fleet.jobs[job];
  const auto& outcome = replay_.outcome(job);
  switch (replay_.state(job)) {
    case job_state::waiting:
    case job_state::pending:
      modelled.start = replay_.next_try(job);
      modelled.duration_s = predicted(job);
      break;
    case job_state::active:
      modelled.start = *outcome.start;
      modelled.duration_s = predicted(job);
      break;
    case job_state::succeeded:
      modelled.start = *outcome.start;
      modelled.duration_s = replay_.duration(job);
      break;
    case job_state::failed:
      model_->counting.job_counts[job] = 0;  // it loads no proxy any more
      break;
  }
  if (!is_changed_[job]) {
    is_changed_[job] = 1;
    changed_.push_back(job);
  }
  if (replan && !due_) due_ = std::max(replay_.now() + 1, published_at_ + interval_s_);
}

void detector_view::refused(index_t job, instant, std::optional<instant>) { changed(job, true); }

void detector_view::finished(index_t job, instant, bool succeeded) {
  if (!succeeded) {
    changed(job, true);
    return;
  }
  const auto& j = case_.fleet.jobs[job];
  const auto& model = case_.fleet.devices[j.device].model;
  const bool longer = replay_.duration(job) > model_->fleet.jobs[job].duration_s;
  changed(job, longer);
  if (!estimates_.observe(model, j.package, replay_.duration(job) * 1000)) return;
  // The relays' observations lengthen the predictions of the pair's jobs still to come.
  for (index_t other : pair_jobs_[{model, j.package}]) {
    const auto state = replay_.state(other);
    if (state != job_state::pending && state != job_state::active) continue;
    if (predicted(other) != model_->fleet.jobs[other].duration_s) changed(other, true);
  }
}

bool detector_view::apply(const distribution_api::move_record& move) {
  const auto it = job_index_.find(move.job);
  if (it == job_index_.end()) return false;
  const index_t job = it->second;
  if (move.version != model_->job_versions[job]) return false;
  if (!replay_.move(job, move.to)) return false;
  ++model_->job_versions[job];
  changed(job, true);
  return true;
}

detector::model_ptr detector_view::due_model(std::optional<instant> next) {
  if (!due_ || !next || *next < *due_) return nullptr;
  published_at_ = first_ ? *next : *due_;
  auto out = std::make_shared<detector::detector_model>(*model_);
  out->generation = ++generation_;
  out->full = first_;
  out->fetched_at = published_at_;
  if (!first_) {
    std::sort(changed_.begin(), changed_.end());
    out->changed_jobs = changed_;
  }
  for (index_t j : changed_) is_changed_[j] = 0;
  changed_.clear();
  due_.reset();
  first_ = false;
  return out;
}

strategy_result run_headroom_auto(const rollout_case& c, const sim_config& config,
                                  progress_lane& lane) {
  const auto& plan = c.plan.value();
  auto r = new_replay(c);
  for (index_t j = 0; j < c.fleet.jobs.size(); ++j)
    if (c.counting.job_counts[j]) r.release(j, plan.starts[j]);
  detector_view view(c, r, plan.starts, config.replan_interval_s);
  r.set_observer(&view);

  auto_config cfg;
  caf::actor_system system{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(system.scheduler());
  auto simulator = system.spawn(rollout_simulator, &r, &view, &lane);
  detector::adjuster_config adjusting{
      "headroom-sim", detector::detector_mode::automatic, domain::wall_clock{[&view] {
        return domain::wall_time{std::chrono::seconds{view.published_at()}};
      }}};
  auto adjuster = detector::spawn_adjuster(system, std::move(adjusting), simulator);
  if (!adjuster) throw std::logic_error(to_string(adjuster.error()));
  auto detector = detector::spawn_load_detector(system, {}, *adjuster);
  if (!detector) throw std::logic_error(to_string(detector.error()));
  caf::anon_send(simulator, std::vector<detector::load_detector_actor>{*detector});
  sched.run();
  // Each round: the simulator replays until the detector must look; the detector's actors
  // answer; their moves are applied before the replay goes on.
  do {
    caf::anon_send(simulator, atom::advance_v);
    sched.run();
  } while (r.next_instant());
  caf::anon_send_exit(simulator, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(*adjuster, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(*detector, caf::exit_reason::user_shutdown);
  sched.run();

  lane.reached.store(r.now(), std::memory_order_relaxed);
  lane.finished.store(r.finished(), std::memory_order_relaxed);
  auto out = finish(c, strategy::headroom_auto, r);
  out.unschedulable = plan.unschedulable;
  return out;
}

}  // namespace headroom::sim
