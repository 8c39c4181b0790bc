// Plan quality of the automatic mode (docs/benchmarks.md, "Plan quality"): a generated
// fleet re-scheduled by the detector's own actors — the load detector's reports, the
// adjuster in auto mode — round after round, each round's moves applied to the model as
// the distribution system applies them (per move, refused when the job's version or start
// changed) and published back as the fetcher's increment, until a round moves nothing.
// Its total displacement is divided by that of `domain::adjust` over the whole fleet, as
// `headroom check --adjust` plans it, on the same fleet in the same run.
// Usage: plan_quality_bench [devices=1500] [proxies=15] [rollouts=3] [seed...=1 2 3 4 5]
// Prints one JSON line per seed.
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "actors/detector/adjuster.hpp"
#include "actors/detector/load_detector.hpp"
#include "actors/type_registry.hpp"
#include "domain/adjuster.hpp"
#include "domain/detection.hpp"
#include "domain/sub_fleet.hpp"
#include "sim/fleet_generator.hpp"

namespace {

using namespace headroom;
using domain::index_t;

/// What the adjuster sent in one round, in place of the notifier.
struct round_log {
  std::vector<distribution_api::adjustment_record> adjustments;
  std::map<std::string, int> notifications;  ///< By proxy.
};

detector::notifier_actor::behavior_type recording_notifier(detector::notifier_actor::pointer,
                                                           const std::shared_ptr<round_log>& log) {
  return {
      [log](const distribution_api::notification_record& n) { ++log->notifications[n.proxy]; },
      [log](const distribution_api::adjustment_record& a) { log->adjustments.push_back(a); },
      [](atom::status) { return detector::outbox_status{}; },
  };
}

struct bench_config : caf::actor_system_config {
  bench_config() {
    set("scheduler.policy", caf::atom("testing"));
    set("logger.verbosity", caf::atom("quiet"));
    actors::register_types(*this);
  }
};

/// Jobs in a window of any proxy, when `starts` are the schedule.
std::size_t jobs_in_windows(const domain::fleet& f, const domain::counting& c,
                            const domain::schedule& starts) {
  return domain::movable_jobs(domain::detect(f, c, starts, *f.horizon)).size();
}

/// The counted jobs' schedule of `model`, as the load detector tracks it.
domain::schedule tracked_starts(const detector::detector_model& model) {
  domain::schedule starts(model.fleet.jobs.size());
  for (index_t j = 0; j < starts.size(); ++j)
    starts[j] = model.counting.job_counts[j] ? model.fleet.jobs[j].start : domain::unscheduled;
  return starts;
}

/// Σ |start − requested start| over every job.
std::int64_t displacement(const domain::fleet& now, const domain::fleet& requested) {
  std::int64_t total = 0;
  for (index_t j = 0; j < requested.jobs.size(); ++j)
    total += std::llabs(now.jobs[j].start - requested.jobs[j].start);
  return total;
}

struct auto_result {
  std::int64_t displacement_s = 0;
  std::int64_t first_round_displacement_s = 0;  ///< After the first round's moves.
  std::size_t rounds = 0;
  std::size_t moves_applied = 0;
  std::size_t moves_refused = 0;
  std::size_t left_in_windows = 0;
  std::size_t max_notifications_per_proxy_round = 0;
  double seconds = 0;
};

/// The detector in auto mode, round by round, until its plans move nothing more.
auto_result run_auto(const domain::fleet& requested) {
  const auto began = std::chrono::steady_clock::now();
  auto model = std::make_shared<detector::detector_model>();
  model->fleet = requested;
  model->counting = domain::count_communications(requested);
  model->job_versions.assign(requested.jobs.size(), 1);
  model->generation = 1;
  model->neighbourhoods = std::make_shared<const domain::neighbourhoods>(model->fleet);
  std::unordered_map<std::string, index_t> job_index;
  for (index_t j = 0; j < requested.jobs.size(); ++j) job_index.emplace(requested.jobs[j].id, j);

  bench_config cfg;
  caf::actor_system system{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(system.scheduler());
  auto log = std::make_shared<round_log>();
  auto notifier = system.spawn(recording_notifier, log);
  auto adjuster =
      detector::spawn_adjuster(system,
                               {"plan-quality-bench", detector::detector_mode::automatic,
                                domain::wall_clock::fixed(requested.horizon->start)},
                               notifier);
  auto detector = detector::spawn_load_detector(system, {}, *adjuster);

  auto_result out;
  detector::model_ptr published = model;
  for (;;) {
    caf::anon_send(*detector, published);
    sched.run();
    ++out.rounds;
    for (const auto& [proxy, count] : log->notifications)
      out.max_notifications_per_proxy_round =
          std::max(out.max_notifications_per_proxy_round, static_cast<std::size_t>(count));
    // The distribution system applies each move whose job is still as the move quotes it.
    auto next = std::make_shared<detector::detector_model>(*published);
    next->full = false;
    next->generation = published->generation + 1;
    next->changed_jobs.clear();
    for (const auto& adjustment : log->adjustments)
      for (const auto& move : adjustment.moves) {
        const index_t j = job_index.at(move.job);
        auto& job = next->fleet.jobs[j];
        if (move.version != next->job_versions[j] || move.from != job.start) {
          ++out.moves_refused;
          continue;
        }
        job.start = move.to;
        ++next->job_versions[j];
        next->changed_jobs.push_back(j);
        ++out.moves_applied;
      }
    *log = {};
    if (out.rounds == 1) out.first_round_displacement_s = displacement(next->fleet, requested);
    if (next->changed_jobs.empty()) break;
    std::sort(next->changed_jobs.begin(), next->changed_jobs.end());
    next->changed_jobs.erase(std::unique(next->changed_jobs.begin(), next->changed_jobs.end()),
                             next->changed_jobs.end());
    published = next;
  }
  out.displacement_s = displacement(published->fleet, requested);
  out.left_in_windows =
      jobs_in_windows(published->fleet, published->counting, tracked_starts(*published));
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  caf::anon_send_exit(*detector, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(*adjuster, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(notifier, caf::exit_reason::user_shutdown);
  sched.run();
  return out;
}

/// `headroom check --adjust` run again on its own applied plan until it moves nothing, each
/// unschedulable job left where it was: the whole-fleet plan re-planned as the detector
/// re-plans the windows its last plan left. Answers the displacement and the rounds.
std::pair<std::int64_t, std::size_t> whole_fleet_rounds(const domain::fleet& requested) {
  auto now = requested;
  const auto counted = domain::count_communications(now);
  for (std::size_t round = 1;; ++round) {
    const auto before = domain::detect(now, counted, domain::requested_schedule(now), *now.horizon);
    const auto plan = domain::adjust(now, counted, before);
    if (plan.moved.empty()) return {displacement(now, requested), round};
    for (const auto& m : plan.moved) now.jobs[m.job].start = m.to;
  }
}

}  // namespace

int main(int argc, char** argv) {
  sim::fleet_generator_config generator;
  generator.devices = argc > 1 ? std::atoll(argv[1]) : 1500;
  generator.proxies = argc > 2 ? std::atoll(argv[2]) : 15;
  // Three rollouts per customer crowd the regional proxies too, where chained devices'
  // jobs sit in the windows of two proxies at once.
  generator.rollouts = argc > 3 ? std::atoll(argv[3]) : 3;
  std::vector<std::uint64_t> seeds{1, 2, 3, 4, 5};
  if (argc > 4) {
    seeds.clear();
    for (int a = 4; a < argc; ++a) seeds.push_back(std::strtoull(argv[a], nullptr, 10));
  }
  for (const auto seed : seeds) {
    generator.seed = seed;
    const auto valid = sim::validate(generator);
    if (!valid) {
      std::fprintf(stderr, "plan_quality_bench: %s\n", valid.failure().message().c_str());
      return 2;
    }
    const auto fleet = sim::generate_fleet(*valid);
    // The peer: `headroom check --adjust` on the whole fleet.
    const auto counted = domain::count_communications(fleet);
    const auto before =
        domain::detect(fleet, counted, domain::requested_schedule(fleet), *fleet.horizon);
    const auto whole = domain::adjust(fleet, counted, before);
    // An unschedulable job keeps its requested start, where it still loads its proxies.
    auto whole_kept = whole.starts;
    for (const auto& u : whole.unschedulable) whole_kept[u.job] = fleet.jobs[u.job].start;
    std::size_t overloaded = 0;
    std::size_t overloaded_regional = 0;
    {
      std::vector<std::uint8_t> has(fleet.proxies.size(), 0);
      std::vector<std::uint8_t> regional(fleet.proxies.size(), 0);
      for (const auto& d : fleet.devices)
        if (d.path.size() > 1) regional[d.path.back()] = 1;
      for (const auto& w : before.windows) has[w.proxy] = 1;
      for (index_t p = 0; p < has.size(); ++p) {
        overloaded += has[p];
        overloaded_regional += has[p] & regional[p];
      }
    }
    const auto automatic = run_auto(fleet);
    const auto [rounds_displacement, whole_rounds] = whole_fleet_rounds(fleet);
    const auto ratio = [&](std::int64_t displaced) {
      if (whole.total_displacement_s == 0) return displaced == 0 ? 1.0 : 0.0;
      return static_cast<double>(displaced) / static_cast<double>(whole.total_displacement_s);
    };
    std::printf(
        "{\"bench\": \"plan_quality\", \"devices\": %lld, \"proxies\": %lld, \"rollouts\": %lld, "
        "\"seed\": %llu, \"jobs\": %zu, \"overloaded_proxies\": %zu, \"overloaded_regional\": %zu, "
        "\"in_windows\": %zu, \"auto_displacement_h\": %.2f, \"whole_displacement_h\": %.2f, "
        "\"ratio\": %.4f, \"first_round_ratio\": %.4f, \"auto_rounds\": %zu, "
        "\"auto_moves_applied\": %zu, "
        "\"auto_moves_refused\": %zu, \"auto_left_in_windows\": %zu, "
        "\"whole_unschedulable\": %zu, \"whole_left_in_windows\": %zu, "
        "\"whole_rounds\": %zu, \"ratio_to_whole_rounds\": %.4f, "
        "\"max_notifications_per_proxy_round\": %zu, \"auto_s\": %.3f}\n",
        static_cast<long long>(generator.devices), static_cast<long long>(generator.proxies),
        static_cast<long long>(generator.rollouts), static_cast<unsigned long long>(seed),
        fleet.jobs.size(), overloaded, overloaded_regional, domain::movable_jobs(before).size(),
        static_cast<double>(automatic.displacement_s) / 3600.0,
        static_cast<double>(whole.total_displacement_s) / 3600.0, ratio(automatic.displacement_s),
        ratio(automatic.first_round_displacement_s), automatic.rounds, automatic.moves_applied,
        automatic.moves_refused, automatic.left_in_windows, whole.unschedulable.size(),
        jobs_in_windows(fleet, counted, whole_kept), whole_rounds,
        rounds_displacement > 0 ? static_cast<double>(automatic.displacement_s) /
                                      static_cast<double>(rounds_displacement)
                                : 1.0,
        automatic.max_notifications_per_proxy_round, automatic.seconds);
    std::fflush(stdout);
  }
  return 0;
}
