#include "actors/sim/auto_rollout.hpp"

#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <limits>
#include <stdexcept>
#include <utility>

#include "actors/detector/adjuster.hpp"
#include "actors/detector/load_detector.hpp"
#include "actors/type_registry.hpp"

namespace headroom::sim {
namespace {

using domain::index_t;
using domain::instant;
using self_pointer = rollout_simulator_actor::stateful_pointer<rollout_simulator_state>;

rollout_simulator_actor::behavior_type rollout_simulator(self_pointer self, replay* rollout,
                                                         detector_view* view,
                                                         common::progress_lane* lane) {
  self->state.rollout = rollout;
  self->state.view = view;
  self->state.lane = lane;
  return {
      [=](std::vector<detector::load_detector_actor>& detectors) {
        self->state.detectors = std::move(detectors);
      },
      [=](atom::advance) {
        auto& st = self->state;
        for (;;) {
          const auto next = st.rollout->next_instant();
          if (auto model = st.view->due_model(next)) {
            for (const auto& d : st.detectors) self->send(d, model);
            break;
          }
          if (!next) break;
          st.rollout->step();
        }
        st.lane->reached.store(st.rollout->now(), std::memory_order_relaxed);
        st.lane->finished.store(st.rollout->finished(), std::memory_order_relaxed);
      },
      [=](const distribution_api::adjustment_record& adjustment) {
        for (const auto& move : adjustment.moves) self->state.view->apply(move);
      },
      [=](const distribution_api::notification_record&) { ++self->state.notifications; },
      [=](atom::status) {
        detector::outbox_status status;
        status.delivered = self->state.notifications +
                           static_cast<std::uint64_t>(self->state.view->moves_applied());
        status.dropped = static_cast<std::uint64_t>(self->state.view->moves_refused());
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
  std::map<std::pair<std::string, std::string>, std::uint32_t> pair_index;
  pair_of_job_.resize(c.fleet.jobs.size());
  for (index_t j = 0; j < c.fleet.jobs.size(); ++j) {
    const auto& job = c.fleet.jobs[j];
    m.fleet.jobs[j].start = plan[j];
    job_index_.emplace(job.id, j);
    const auto [it, added] =
        pair_index.try_emplace({c.fleet.devices[job.device].model, job.package},
                               static_cast<std::uint32_t>(pairs_.size()));
    if (added) pairs_.push_back({it->first.first, it->first.second, {}, false});
    pair_of_job_[j] = it->second;
    if (c.counting.job_counts[j]) pairs_[it->second].live.push_back(j);
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
    case job_state::failed:
      // Done, as the distribution system's job status says: it loads no proxy any more.
      model_->counting.job_counts[job] = 0;
      break;
  }
  if (!is_changed_[job]) {
    is_changed_[job] = 1;
    changed_.push_back(job);
  }
  if (replan) due();
}

void detector_view::due() {
  if (!due_) due_ = std::max(replay_.now() + 1, published_at_ + interval_s_);
}

void detector_view::refused(index_t job, instant, std::optional<instant>) { changed(job, true); }

void detector_view::finished(index_t job, instant, bool succeeded) {
  changed(job, !succeeded);
  if (!succeeded) return;
  const auto& j = case_.fleet.jobs[job];
  auto& pair = pairs_[pair_of_job_[job]];
  if (!estimates_.observe(pair.model, j.package, replay_.duration(job) * 1000)) return;
  // The relays' observation changes the predictions of the pair's jobs still to come;
  // they are predicted again when the detector next looks, as the fetcher re-predicts.
  if (!pair.dirty) dirty_pairs_.push_back(pair_of_job_[job]);
  pair.dirty = true;
  due();
}

void detector_view::repredict() {
  for (const auto p : dirty_pairs_) {
    auto& pair = pairs_[p];
    pair.dirty = false;
    std::erase_if(pair.live, [&](index_t j) {
      const auto state = replay_.state(j);
      return state != job_state::pending && state != job_state::active &&
             state != job_state::waiting;
    });
    // One look-up per planned duration, not per job: a pair may have a million jobs.
    std::unordered_map<std::int64_t, std::int64_t> prediction;
    for (index_t j : pair.live) {
      const auto planned = case_.fleet.jobs[j].duration_s;
      auto [it, added] = prediction.try_emplace(planned, 0);
      if (added) it->second = estimates_.predict(pair.model, pair.package, planned);
      if (it->second != model_->fleet.jobs[j].duration_s) changed(j, false);
    }
  }
  dirty_pairs_.clear();
}

bool detector_view::apply(const distribution_api::move_record& move) {
  const auto it = job_index_.find(move.job);
  const bool applies = it != job_index_.end() && move.version == model_->job_versions[it->second] &&
                       replay_.move(it->second, move.to);
  if (!applies) {
    ++moves_refused_;
    return false;
  }
  ++moves_applied_;
  ++model_->job_versions[it->second];
  changed(it->second, true);
  return true;
}

detector::model_ptr detector_view::due_model(std::optional<instant> next) {
  if (!due_ || !next || *next < *due_) return nullptr;
  published_at_ = first_ ? *next : *due_;
  repredict();
  std::sort(changed_.begin(), changed_.end());
  auto out = recycled();
  out->generation = ++generation_;
  out->full = first_;
  out->fetched_at = published_at_;
  out->changed_jobs.clear();
  if (!first_) out->changed_jobs = changed_;
  for (index_t j : changed_) is_changed_[j] = 0;
  // The model published before this one lacks this publication's changes too.
  spare_ = std::exchange(last_, out);
  spare_lacks_ = std::exchange(changed_, {});
  due_.reset();
  first_ = false;
  return out;
}

std::shared_ptr<detector::detector_model> detector_view::recycled() {
  // No actor holds the model published two looks ago any more (the load detector has
  // moved on to the last one, and every message about it has been handled): bring it
  // up to date with the jobs changed since, instead of copying the whole fleet again.
  if (!spare_ || spare_.use_count() != 1)
    return std::make_shared<detector::detector_model>(*model_);
  auto out = std::move(spare_);
  const auto bring = [&](index_t j) {
    out->fleet.jobs[j] = model_->fleet.jobs[j];
    out->counting.job_counts[j] = model_->counting.job_counts[j];
    out->job_versions[j] = model_->job_versions[j];
  };
  for (index_t j : spare_lacks_) bring(j);
  for (index_t j : changed_) bring(j);
  return out;
}

caf::expected<rollout_simulator_actor> spawn_rollout_simulator(caf::actor_system& system,
                                                               replay& rollout, detector_view& view,
                                                               common::progress_lane& lane) {
  return system.spawn(rollout_simulator, &rollout, &view, &lane);
}

strategy_result run_headroom_auto(const rollout_case& c, const sim_config& config,
                                  common::progress_lane& lane) {
  const auto& plan = c.plan.value();
  auto r = new_replay(c);
  release_all(r, c, plan.starts);
  detector_view view(c, r, plan.starts, config.replan_interval_s);
  r.set_observer(&view);

  auto_config cfg;
  caf::actor_system system{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(system.scheduler());
  auto simulator = spawn_rollout_simulator(system, r, view, lane);
  if (!simulator) throw std::logic_error(to_string(simulator.error()));
  detector::adjuster_config adjusting{
      "headroom-sim", detector::detector_mode::automatic, domain::wall_clock{[&view] {
        return domain::wall_time{std::chrono::seconds{view.published_at()}};
      }}};
  auto adjuster = detector::spawn_adjuster(system, std::move(adjusting), *simulator);
  if (!adjuster) throw std::logic_error(to_string(adjuster.error()));
  auto detector = detector::spawn_load_detector(system, {}, *adjuster);
  if (!detector) throw std::logic_error(to_string(detector.error()));
  caf::anon_send(*simulator, std::vector<detector::load_detector_actor>{*detector});
  sched.run();
  // Each round: the simulator replays until the detector must look; the detector's actors
  // answer; their moves are applied before the replay goes on.
  do {
    caf::anon_send(*simulator, atom::advance_v);
    sched.run();
  } while (r.next_instant());
  caf::anon_send_exit(*simulator, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(*adjuster, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(*detector, caf::exit_reason::user_shutdown);
  sched.run();

  lane.reached.store(r.now(), std::memory_order_relaxed);
  lane.finished.store(r.finished(), std::memory_order_relaxed);
  auto out = finish(c, strategy::headroom_auto, r);
  out.unschedulable = plan.unschedulable;
  out.detector_looks = static_cast<std::int64_t>(view.publications());
  out.moves_applied = view.moves_applied();
  out.moves_refused = view.moves_refused();
  return out;
}

}  // namespace headroom::sim
