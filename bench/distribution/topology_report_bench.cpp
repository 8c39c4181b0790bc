// A detector's topology report (PUT /api/v1/topology, store::replace_topology) on a large
// store: the store's writer is held for the whole report, and every notification of the
// detector's first detection waits behind it (issue 13: first detection under 2 s).
//
// The fleet is the one detector_latency_bench generates (seed 11), imported once; each
// round copies the imported file and times, on the copy:
//  - first:  the detector's first report. It names only the proxy-mode devices, so the
//            hops the import stored for direct-mode devices are dropped (~12% of devices);
//  - repeat: the same report again (nothing changes);
//  - moved:  the report with `moved` devices each taken from one proxy to another.
// Each figure is printed with the load average read just after it (/proc/loadavg), since
// the machine is shared.
//
// Usage: topology_report_bench [devices] [proxies] [rounds] [moved]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "common/system_wall_clock.hpp"
#include "distribution/store/store.hpp"
#include "sim/fleet_generator.hpp"

using namespace headroom;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

/// The report a detector sends for this fleet (schedule_fetcher's topology_report over the
/// node registry's view): every proxy by id, each with its proxy-mode devices, sorted.
distribution_api::topology_record detector_report(const domain::fleet& f) {
  distribution_api::topology_record out;
  out.detector = "bench-detector";
  for (const auto& p : f.proxies) out.proxies.push_back({p.id, p.capacity, p.threshold, {}});
  for (const auto& d : f.devices)
    if (d.relayed())
      for (const auto p : d.path) out.proxies[p].devices.push_back(d.id);
  for (auto& p : out.proxies) {
    std::sort(p.devices.begin(), p.devices.end());
    p.devices.erase(std::unique(p.devices.begin(), p.devices.end()), p.devices.end());
  }
  std::sort(out.proxies.begin(), out.proxies.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

/// The report with `count` devices each moved from a random proxy to another one.
distribution_api::topology_record moved(distribution_api::topology_record t, int count,
                                        std::mt19937_64& rng) {
  for (int i = 0; i < count;) {
    auto& from = t.proxies[rng() % t.proxies.size()];
    auto& to = t.proxies[rng() % t.proxies.size()];
    if (from.devices.empty() || &from == &to) continue;
    const auto at = from.devices.begin() + static_cast<std::ptrdiff_t>(rng() % from.devices.size());
    const auto device = *at;
    if (std::binary_search(to.devices.begin(), to.devices.end(), device)) continue;
    from.devices.erase(at);
    to.devices.insert(std::lower_bound(to.devices.begin(), to.devices.end(), device), device);
    ++i;
  }
  return t;
}

/// The (proxy, device) hops that differ between the stored fleet and the report.
std::size_t changed_hops(const domain::fleet& f, const distribution_api::topology_record& t) {
  std::vector<std::pair<std::string, std::string>> stored, reported;
  for (const auto& d : f.devices)
    for (const auto p : d.path) stored.emplace_back(f.proxies[p].id, d.id);
  for (const auto& p : t.proxies)
    for (const auto& d : p.devices) reported.emplace_back(p.id, d);
  std::sort(stored.begin(), stored.end());
  std::sort(reported.begin(), reported.end());
  std::vector<std::pair<std::string, std::string>> differing;
  std::set_symmetric_difference(stored.begin(), stored.end(), reported.begin(), reported.end(),
                                std::back_inserter(differing));
  return differing.size();
}

std::unique_ptr<distribution::store> open_store(const fs::path& file) {
  auto s = distribution::store::open(file.string(), 1);
  if (!s) throw std::runtime_error(s.failure().detail);
  return std::move(*s);
}

/// Times one report; its unknown devices must be none.
double time_report(distribution::store& s, const distribution_api::topology_record& t) {
  const auto started = clock_type::now();
  auto unknown = s.replace_topology(t);
  const auto ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
  if (!unknown) throw std::runtime_error(unknown.failure().detail);
  if (!unknown->empty()) throw std::runtime_error("unknown device " + unknown->front());
  return ms;
}

}  // namespace

int main(int argc, char** argv) try {
  sim::fleet_generator_config gen;
  gen.devices = argc > 1 ? std::stoll(argv[1]) : 100'000;
  gen.proxies = argc > 2 ? std::stoll(argv[2]) : 1'000;
  const int rounds = argc > 3 ? std::stoi(argv[3]) : 3;
  const int moves = argc > 4 ? std::stoi(argv[4]) : 1'000;
  gen.seed = 11;
  std::cerr << "generating " << gen.devices << " devices behind " << gen.proxies << " proxies...\n";
  const auto fleet = sim::generate_fleet(gen);
  const auto report = detector_report(fleet);
  std::mt19937_64 rng(5);
  const auto report_moved = moved(report, moves, rng);

  const auto dir = fs::temp_directory_path() / "headroom-topology-report-bench";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto imported = dir / "imported.sqlite3";
  {
    auto s = open_store(imported);
    const auto started = clock_type::now();
    if (auto r = s->replace_fleet(fleet, common::system_wall_clock().seconds()); !r)
      throw std::runtime_error(r.failure().detail);
    std::cerr << "imported in "
              << std::chrono::duration<double>(clock_type::now() - started).count() << " s\n";
  }
  for (int round = 0; round < rounds; ++round) {
    const auto file = dir / "round.sqlite3";
    fs::remove(file);
    fs::copy_file(imported, file);
    auto s = open_store(file);
    const auto first = time_report(*s, report);
    const auto first_load = load_average();
    const auto repeat = time_report(*s, report);
    const auto repeat_load = load_average();
    const auto move = time_report(*s, report_moved);
    const auto move_load = load_average();
    std::printf(
        "{\"bench\": \"topology_report\", \"devices\": %lld, \"proxies\": %lld, \"round\": %d, "
        "\"first_changed_hops\": %zu, \"first_ms\": %.1f, \"first_load\": \"%s\", "
        "\"repeat_ms\": %.1f, \"repeat_load\": \"%s\", \"moved_devices\": %d, "
        "\"moved_ms\": %.1f, \"moved_load\": \"%s\"}\n",
        static_cast<long long>(gen.devices), static_cast<long long>(gen.proxies), round,
        changed_hops(fleet, report), first, first_load.c_str(), repeat, repeat_load.c_str(), moves,
        move, move_load.c_str());
    std::fflush(stdout);
  }
  fs::remove_all(dir);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "topology_report_bench: " << e.what() << "\n";
  return 1;
}
