#include "apps/demo_command.hpp"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "actors/sim/live_session.hpp"
#include "common/host_port.hpp"
#include "common/stop_signals.hpp"
#include "common/system_wall_clock.hpp"
#include "distribution/config.hpp"
#include "distribution/service.hpp"
#include "domain/counting.hpp"
#include "formats/fleet_reader.hpp"
#include "sim/live/relay_status.hpp"
#include "sim/live/time_scale.hpp"
#include "sim/sim_config.hpp"

namespace headroom::apps {
namespace {

struct demo_flags {
  std::string fleet = "config/demo-fleet.json";
  std::string mode = "warn";
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "data/demo";
  std::string api_token;
  std::string display_time_zone = distribution::distribution_config{}.display_time_zone;
  std::int64_t speed = 60;
  std::int64_t lead_s = 90;
  std::int64_t status_every_s = 10;
};

int fail(const std::string& what) {
  std::cerr << "headroom demo: " << what << "\n";
  return 1;
}

/// The time of day, which is all a demo of minutes needs.
std::string time_of_day(domain::instant t) { return domain::format_utc(t).substr(11, 8) + " UTC"; }

/// One line per rollout: when the devices of which proxies are due, and how many.
void describe_rollouts(const domain::fleet& f, const domain::counting& c, std::ostream& out) {
  std::map<domain::instant, std::pair<std::int64_t, std::set<std::string>>> rollouts;
  for (std::size_t j = 0; j < f.jobs.size(); ++j) {
    if (!c.job_counts[j]) continue;
    auto& r = rollouts[f.jobs[j].start];
    ++r.first;
    r.second.insert(f.proxies[f.devices[f.jobs[j].device].path.front()].id);
  }
  for (const auto& [at, r] : rollouts) {
    out << "  " << time_of_day(at) << "  " << r.first << " deliveries behind";
    for (const auto& p : r.second) out << " " << p;
    out << "\n";
  }
}

/// Every few seconds: each relay's load as it reports it, and the deliveries so far.
void print_status(std::vector<std::unique_ptr<sim::relay_status_reader>>& relays,
                  const sim::live_rollout& rollout, const domain::wall_clock& clock) {
  std::ostringstream line;
  line << time_of_day(clock.seconds()) << "  deliveries: " << rollout.finished() - rollout.failed()
       << " done, " << rollout.failed() << " failed, " << rollout.jobs() - rollout.finished()
       << " to go; relays (active/capacity, refused so far):";
  for (auto& r : relays) {
    const auto s = r->read();
    if (!s) continue;
    line << "  " << s->proxy_id << " " << s->active_devices << "/" << s->capacity << " ("
         << s->refused_total << ")";
  }
  std::cout << line.str() << std::endl;
}

int run_demo(const demo_flags& flags) {
  auto mode = detector::parse_mode(flags.mode);
  if (!mode) return fail("--mode: must be warn or auto, not " + flags.mode);
  auto fleet = formats::read_fleet_file(flags.fleet);
  if (!fleet) return fail(flags.fleet + ": " + fleet.failure().message());
  if (auto problem = domain::validate(*fleet)) return fail(flags.fleet + ": " + problem->message());
  if (flags.speed < 1 || flags.speed > 3600) return fail("--speed: must be 1..3600");
  if (flags.lead_s < 20 || flags.lead_s > 3600) return fail("--lead: must be 20..3600 seconds");

  common::stop_signals signals;
  const auto clock = common::system_wall_clock();
  const auto first_delivery = clock.seconds() + flags.lead_s;
  const auto scaled = sim::scale_fleet(*fleet, flags.speed, first_delivery);
  const auto counting = domain::count_communications(scaled.fleet);
  // Devices retry as in `headroom sim`, by its defaults, on the demo's clock.
  const sim::sim_config retries;
  const sim::retry_policy policy{retries.retries, scaled.scale.span(retries.retry_after_s)};

  sim::live_rig_config rig;
  rig.data_dir = flags.data_dir;
  rig.listen = flags.listen;
  rig.mode = *mode;
  rig.fetch_interval = std::chrono::milliseconds{2000};
  rig.api_token = flags.api_token;
  rig.display_time_zone = flags.display_time_zone;
  auto session =
      sim::live_session::start(scaled.fleet, counting, policy,
                               domain::effective_horizon(scaled.fleet), rig, clock, first_delivery);
  if (!session) return fail(session.failure().message());
  auto& live = (*session)->rig();
  auto password = live.distribution().add_operator("operator");
  if (!password) return fail(password.failure().detail);

  const auto& url = live.url();
  std::cout << "listening on " << url << "\n"
            << "operator login: operator / " << *password << "\n"
            << "  warnings:  " << url << "/warnings\n"
            << "  schedule:  " << url << "/schedule\n"
            << "  history:   " << url << "/history\n"
            << "detector " << detector::to_string(*mode) << " mode, status on http://"
            << common::format_host_port(live.addresses().origin.host, live.detector_status_port())
            << "/status\n";
  std::vector<std::unique_ptr<sim::relay_status_reader>> relays;
  for (std::size_t p = 0; p < live.relay_admins().size(); ++p) {
    const auto& admin = live.relay_admins()[p];
    std::cout << "relay " << scaled.fleet.proxies[p].id
              << " on 127.0.0.1:" << live.addresses().relay_of_proxy[p].port
              << ", its status on http://" << common::format_host_port(admin.host, admin.port)
              << "/status\n";
    relays.push_back(std::make_unique<sim::relay_status_reader>(admin));
  }
  std::cout << scaled.fleet.devices.size() << " devices check in through their relays now; "
            << flags.speed << "x real time, the rollouts are due at:\n";
  describe_rollouts(scaled.fleet, counting, std::cout);
  std::cout << (*mode == detector::detector_mode::warn
                    ? "Watch the warning screen fill within a minute. Let the first rollout run "
                      "into the crowded relays and fail; apply the suggested adjustment to the "
                      "next one before it starts, and watch it go through with no failure.\n"
                    : "The detector re-schedules by itself: watch the history page and the "
                      "relays stay under their thresholds.\n")
            << "Ctrl-C stops everything." << std::endl;

  std::atomic<bool> stopping{false};
  std::thread ticker([&] {
    std::mutex m;
    std::condition_variable never;
    std::unique_lock lock(m);
    while (!stopping) {
      never.wait_for(lock, std::chrono::seconds{flags.status_every_s},
                     [&] { return stopping.load(); });
      if (!stopping) print_status(relays, (*session)->rollout(), clock);
    }
  });
  signals.wait();
  std::cerr << "headroom demo: stopping\n";
  stopping = true;
  ticker.join();
  (*session)->stop();
  return 0;
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto f = std::make_shared<demo_flags>();
  auto* cmd = app.add_subcommand(
      "demo",
      "Run the distribution system, the detector, a real relay per proxy and the fleet's "
      "devices, live on a compressed clock, in one process (docs/demo.md)");
  cmd->add_option("--fleet", f->fleet, "Fleet file to play (docs/fleet-file.md)")
      ->capture_default_str()
      ->check(CLI::ExistingFile);
  cmd->add_option("--mode", f->mode,
                  "warn (the warning screen shows the windows) or auto (re-schedule)")
      ->capture_default_str();
  cmd->add_option("--listen", f->listen,
                  "host:port of the distribution system; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--data-dir", f->data_dir, "Where the distribution store and the outbox live")
      ->capture_default_str();
  cmd->add_option("--api-token", f->api_token,
                  "The distribution system's bearer token; else generated");
  cmd->add_option("--display-time-zone", f->display_time_zone,
                  "IANA time zone the pages show times in, beside UTC")
      ->capture_default_str();
  cmd->add_option("--speed", f->speed, "Virtual seconds of the fleet per real second")
      ->capture_default_str();
  cmd->add_option("--lead", f->lead_s, "Seconds from the start to the fleet's first delivery")
      ->capture_default_str();
  cmd->add_option("--status-every", f->status_every_s, "Seconds between the status lines on stdout")
      ->capture_default_str();
  cmd->callback([f] {
    if (const int code = run_demo(*f); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace headroom::apps
