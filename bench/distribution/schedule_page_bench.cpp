// The operator's schedule screen (GET /schedule) on a large store: the real server on
// 127.0.0.1, an operator logged in through the login form, and the page of several
// proxies timed from request to the last byte (one connection per request), over the
// whole horizon and over two hours. The same on a small store for comparison, and the
// cost of the writes that keep the store's per-proxy data: a job update, a whole topology,
// and the fleet import when the store is built.
//
// The large store is a generated fleet (`headroom gen-fleet`'s generator, seed 42); the
// defaults are those of bench/distribution/run: 100,000 devices behind 100 proxies, 12
// rollouts, about 1,080,000 jobs. Importing it takes tens of seconds, so the SQLite file
// is kept under build/bench-cache/ (named by the sizes and the schema version) and copied
// for each run; `--rebuild` imports it again (and reports the import's time).
//
// Usage: schedule_page_bench [devices] [proxies] [rollouts] [pages] [--rebuild]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/system_wall_clock.hpp"
#include "distribution/service.hpp"
#include "distribution/store/schema.hpp"
#include "distribution/store/store.hpp"
#include "sim/fleet_generator.hpp"
#include "tests/support/http_client.hpp"

using namespace headroom;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

struct figures {
  double median = 0, p95 = 0, max = 0;
  std::size_t over_target = 0;  ///< Pages that took 200 ms or more (issue 13's target).
};

figures figures_of(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  return {at(0.5), at(0.95), ms.back(),
          static_cast<std::size_t>(
              std::count_if(ms.begin(), ms.end(), [](double t) { return t >= 200; }))};
}

std::string value_of(const std::string& html, const std::string& name) {
  const auto key = "name=\"" + name + "\" value=\"";
  const auto at = html.find(key);
  if (at == std::string::npos) return {};
  const auto from = at + key.size();
  return html.substr(from, html.find('"', from) - from);
}

std::string cookie_of(const test::reply& r) {
  const auto set = r.header("Set-Cookie");
  return set.substr(0, set.find(';'));
}

/// A running server over a copy of `store_file`, with a logged-in operator.
class page_server {
 public:
  page_server(const fs::path& dir, const fs::path& store_file) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(store_file, dir / "distribution.sqlite3");
    distribution::distribution_config c;
    c.listen = "127.0.0.1:0";
    c.data_dir = dir.string();
    c.api_token = "bench-token-0123456789";
    const auto opening = clock_type::now();
    auto service = distribution::distribution_service::open(c, common::system_wall_clock(),
                                                            [](const std::string&) {});
    if (!service) throw std::runtime_error(service.failure().detail);
    open_ms = ms_since(opening);
    service_ = std::move(*service);
    auto port = service_->start();
    if (!port) throw std::runtime_error(port.failure().detail);
    port_ = *port;
    auto password = service_->add_operator("bench");
    if (!password) throw std::runtime_error(password.failure().detail);
    const auto form = get("/login");
    const auto logged_in = client().send(
        test::http::verb::post, "/login",
        "name=bench&password=" + *password +
            "&next=%2Fwarnings&csrf=" + value_of(form.body, "csrf"),
        {{"Cookie", cookie_of(form)}, {"Content-Type", "application/x-www-form-urlencoded"}});
    if (logged_in.status != 303) throw std::runtime_error("login failed: " + logged_in.body);
    cookie_ = cookie_of(logged_in);
  }
  ~page_server() { service_->stop(); }
  page_server(const page_server&) = delete;
  page_server& operator=(const page_server&) = delete;

  test::reply get(const std::string& target) const {
    return client().send(test::http::verb::get, target, {}, {{"Cookie", cookie_}}, false);
  }
  distribution::store& data() { return service_->data(); }
  double open_ms = 0;  ///< Opening the store (and migrating it, when it is older).

 private:
  test::http_client client() const { return {port_, ""}; }
  std::unique_ptr<distribution::distribution_service> service_;
  std::uint16_t port_ = 0;
  std::string cookie_;
};

/// The store file for these sizes at this schema version, imported once.
fs::path cached_store(const sim::fleet_generator_config& gen, bool rebuild,
                      std::optional<double>& import_s) {
  const fs::path dir = fs::path(HEADROOM_BUILD_DIR) / "bench-cache";
  auto file = dir / ("schedule-" + std::to_string(gen.devices) + "-" + std::to_string(gen.proxies) +
                     "-" + std::to_string(gen.rollouts) + "-v" +
                     std::to_string(distribution::latest_schema_version()) + ".sqlite3");
  if (fs::exists(file) && !rebuild) return file;
  fs::create_directories(dir);
  std::cerr << "generating " << gen.devices << " devices behind " << gen.proxies << " proxies...\n";
  const auto fleet = sim::generate_fleet(gen);
  const auto tmp = dir / "building";
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  {
    auto s = distribution::store::open((tmp / "distribution.sqlite3").string(), 1);
    if (!s) throw std::runtime_error(s.failure().detail);
    const auto started = clock_type::now();
    if (auto r = (*s)->replace_fleet(fleet, common::system_wall_clock().seconds()); !r)
      throw std::runtime_error(r.failure().detail);
    import_s = ms_since(started) / 1000;
    std::cerr << "imported " << fleet.jobs.size() << " jobs in " << *import_s << " s\n";
  }
  fs::rename(tmp / "distribution.sqlite3", file);
  fs::remove_all(tmp);
  return file;
}

struct page_run {
  figures whole, two_hours;
  std::size_t bytes = 0;
};

/// Times the schedule page of `pages` proxies spread over the fleet, over the whole horizon
/// and over two hours of its second night.
page_run time_pages(const page_server& server, const distribution_api::topology_record& topology,
                    int pages, const std::string& day_two) {
  std::vector<double> whole, two_hours;
  page_run out;
  const auto count = static_cast<int>(topology.proxies.size());
  for (int i = 0; i < pages; ++i) {
    const auto& proxy = topology.proxies[static_cast<std::size_t>(i * count / pages)].id;
    std::string target = "/schedule?proxy=" + proxy;
    auto t = clock_type::now();
    const auto page = server.get(target);
    whole.push_back(ms_since(t));
    if (page.status != 200) throw std::runtime_error(target + ": " + page.body);
    out.bytes = std::max(out.bytes, page.body.size());
    // Two hours of the night's rollouts, as the warning screen links them.
    target.append("&from=")
        .append(day_two)
        .append("T01:00:00Z&to=")
        .append(day_two)
        .append("T03:00:00Z");
    t = clock_type::now();
    const auto window = server.get(target);
    two_hours.push_back(ms_since(t));
    if (window.status != 200) throw std::runtime_error(target + ": " + window.body);
  }
  out.whole = figures_of(whole);
  out.two_hours = figures_of(two_hours);
  return out;
}

/// Moves jobs of the timed proxies one minute later, one update at a time, as PATCH does.
figures time_job_updates(distribution::store& data, const std::string& proxy, int updates) {
  distribution::job_filter f;
  f.proxy = proxy;
  f.limit = updates;
  auto jobs = data.jobs(f);
  if (!jobs) throw std::runtime_error(jobs.failure().detail);
  std::vector<double> ms;
  for (const auto& j : jobs->items) {
    distribution_api::job_patch p;
    p.expected_version = j.record.version;
    p.start = j.record.start + 60;
    const auto t = clock_type::now();
    if (auto r = data.patch_job(j.record.id, p, common::system_wall_clock().seconds()); !r)
      throw std::runtime_error(r.failure().detail);
    ms.push_back(ms_since(t));
  }
  return figures_of(ms);
}

/// Replaces the whole topology with itself, as a detector's full report does: every proxy
/// and every hop written again.
double time_topology_put(distribution::store& data,
                         const distribution_api::topology_record& topology) {
  const auto t = clock_type::now();
  if (auto r = data.replace_topology(topology); !r) throw std::runtime_error(r.failure().detail);
  return ms_since(t) / 1000;
}

}  // namespace

int main(int argc, char** argv) try {
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool rebuild = std::erase(args, "--rebuild") > 0;
  sim::fleet_generator_config gen;
  gen.devices = !args.empty() ? std::stoll(args[0]) : 100'000;
  gen.proxies = args.size() > 1 ? std::stoll(args[1]) : 100;
  gen.rollouts = args.size() > 2 ? std::stoll(args[2]) : 12;
  const int pages = args.size() > 3 ? std::stoi(args[3]) : 20;
  gen.seed = 42;
  const std::string day_two = "2026-12-08";  // the generator's horizon starts on 2026-12-07

  std::optional<double> import_s;
  const auto file = cached_store(gen, rebuild, import_s);
  const auto work = fs::temp_directory_path() / "headroom-schedule-page-bench";
  page_server large(work / "large", file);
  auto topology = large.data().topology();
  if (!topology) throw std::runtime_error(topology.failure().detail);
  auto stats = large.data().stats();
  if (!stats) throw std::runtime_error(stats.failure().detail);
  std::cerr << "timing the schedule page of " << pages << " proxies of " << stats->jobs
            << " jobs...\n";
  const auto run = time_pages(large, *topology, pages, day_two);
  const auto updates = time_job_updates(large.data(), topology->proxies.front().id, 20);
  const auto topology_s = time_topology_put(large.data(), *topology);

  sim::fleet_generator_config small_gen = gen;
  small_gen.devices = 1000;
  small_gen.proxies = 10;
  small_gen.rollouts = 1;
  std::optional<double> small_import;
  page_server small(work / "small", cached_store(small_gen, false, small_import));
  auto small_topology = small.data().topology();
  if (!small_topology) throw std::runtime_error(small_topology.failure().detail);
  const auto small_run = time_pages(small, *small_topology, std::min(pages, 10), day_two);

  std::printf(
      "{\"bench\": \"schedule_page\", \"devices\": %lld, \"proxies\": %lld, \"jobs\": %lld, "
      "\"pages\": %d, \"page_ms_p50\": %.1f, \"page_ms_p95\": %.1f, \"page_ms_max\": %.1f, "
      "\"pages_over_200ms\": %zu, "
      "\"two_hours_ms_p50\": %.1f, \"two_hours_ms_p95\": %.1f, \"two_hours_ms_max\": %.1f, "
      "\"largest_page_bytes\": %zu, \"small_store_page_ms_p50\": %.1f, "
      "\"job_update_ms_p50\": %.2f, \"job_update_ms_max\": %.2f, \"topology_put_s\": %.2f, "
      "\"store_open_ms\": %.1f, "
      "\"fleet_import_s\": %s}\n",
      static_cast<long long>(gen.devices), static_cast<long long>(gen.proxies),
      static_cast<long long>(stats->jobs), pages, run.whole.median, run.whole.p95, run.whole.max,
      run.whole.over_target, run.two_hours.median, run.two_hours.p95, run.two_hours.max, run.bytes,
      small_run.whole.median, updates.median, updates.max, topology_s, large.open_ms,
      import_s ? std::to_string(*import_s).c_str() : "null");
  fs::remove_all(work);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "schedule_page_bench: " << e.what() << "\n";
  return 1;
}
