// A real `headroom distribution` SIGKILLed at random moments while a driver posts
// adjustments that move every job of a generated fleet at once: after each restart every
// job is at the same version (an adjustment is applied whole or not at all, never half),
// every adjustment the server acknowledged is there, and the file passes SQLite's
// integrity check. Real time, bounded: HEADROOM_FAULT_KILLS kills (default 10).
#define BOOST_TEST_MODULE distribution_crash
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "domain/time.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/reliability_line.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/sqlite_integrity.hpp"

namespace headroom::test {
namespace {

using nlohmann::json;
constexpr const char* token = "crash-test-token-0123456789";

/// One job as the server lists it.
struct job_state {
  std::string id;
  std::string start;
  std::int64_t version = 0;
};

/// `headroom distribution` on a free loopback port over DIR.
class server {
 public:
  explicit server(const std::string& dir)
      : process_(
            {"distribution", "--listen", "127.0.0.1:0", "--data-dir", dir, "--api-token", token}) {
    BOOST_REQUIRE(process_.started());
    const auto line = process_.line();
    const auto at = line.rfind(':');
    BOOST_REQUIRE_MESSAGE(line.rfind("listening on http://", 0) == 0 && at != std::string::npos,
                          "unexpected first line: " << line);
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(at + 1)));
  }
  [[nodiscard]] http_client client() const { return http_client(port_, token); }
  void crash() { process_.kill_now(); }

 private:
  child_process process_;
  std::uint16_t port_ = 0;
};

std::vector<job_state> all_jobs(const http_client& c) {
  std::vector<job_state> out;
  std::string target = "/api/v1/jobs?limit=1000";
  for (;;) {
    const auto r = c.get(target);
    BOOST_REQUIRE_EQUAL(r.status, 200);
    const auto page = r.json();
    for (const auto& j : page.at("items"))
      out.push_back({j.at("id"), j.at("start"), j.at("version").get<std::int64_t>()});
    if (!page.contains("next_cursor") || page.at("next_cursor").is_null()) return out;
    target = "/api/v1/jobs?limit=1000&cursor=" + page.at("next_cursor").get<std::string>();
  }
}

/// An adjustment that moves every job one minute later.
std::string move_everything(const std::vector<job_state>& jobs,
                            const std::vector<std::string>& later) {
  json moves = json::array();
  for (std::size_t i = 0; i < jobs.size(); ++i)
    moves.push_back({{"job", jobs[i].id},
                     {"from", jobs[i].start},
                     {"to", later[i]},
                     {"version", jobs[i].version}});
  return json{{"source", "crash-test"}, {"moves", moves}}.dump();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_killed_server_keeps_every_adjustment_whole_or_absent) {
  const char* configured = std::getenv("HEADROOM_FAULT_KILLS");
  const int kills = configured ? std::atoi(configured) : 10;
  scratch_dir dir;
  const auto data = dir.file("data");
  const auto fleet_file = dir.file("fleet.json");
  int status = 0;
  const auto generated = run_to_end(
      "gen-fleet --devices 600 --proxies 4 --customers 4 --days 2 "
      "--seed 7 -o " +
          fleet_file,
      status);
  BOOST_REQUIRE_MESSAGE(status == 0, generated);
  std::stringstream fleet;
  fleet << std::ifstream(fleet_file).rdbuf();

  auto s = std::make_unique<server>(data);
  BOOST_REQUIRE_EQUAL(s->client().put("/api/v1/fleet", fleet.str()).status, 200);
  const auto first = all_jobs(s->client());
  BOOST_REQUIRE(first.size() > 500);

  std::mt19937 random(14);
  std::int64_t acknowledged = 0, applied_unacknowledged = 0, mixed = 0, lost = 0;
  std::int64_t version = 1;  // Every job's version while nothing is half applied.
  for (int kill = 0; kill < kills; ++kill) {
    // The driver posts until the server dies under it; the answers it got are the
    // acknowledged adjustments.
    std::atomic<std::int64_t> acknowledged_now{0};
    std::thread driver([&, client = s->client()] {
      try {
        for (int n = 0;; ++n) {
          auto jobs = all_jobs(client);
          std::vector<std::string> later;
          later.reserve(jobs.size());
          for (const auto& j : jobs)
            later.push_back(domain::format_utc(*domain::parse_rfc3339(j.start) + 60));
          const auto r = client.post(
              "/api/v1/adjustments", move_everything(jobs, later),
              {{"Idempotency-Key", "k" + std::to_string(kill) + "-" + std::to_string(n)}});
          if (r.status != 200) return;
          ++acknowledged_now;
        }
      } catch (const std::exception&) {
        // The connection died with the server.
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200 + random() % 600));
    s->crash();
    driver.join();
    BOOST_TEST(integrity_of(data + "/distribution.sqlite3") == "ok");

    s = std::make_unique<server>(data);
    const auto jobs = all_jobs(s->client());
    BOOST_REQUIRE_EQUAL(jobs.size(), first.size());
    std::map<std::int64_t, int> versions;
    for (const auto& j : jobs) ++versions[j.version];
    if (versions.size() != 1) ++mixed;
    BOOST_TEST(versions.size() == 1u, "jobs at " << versions.size() << " different versions");
    const auto now_at = versions.rbegin()->first;
    const auto applied = now_at - version;
    BOOST_TEST_MESSAGE("kill " << kill << ": " << acknowledged_now << " acknowledged, " << applied
                               << " applied");
    if (applied < acknowledged_now) lost += acknowledged_now - applied;
    BOOST_TEST(applied >= acknowledged_now.load());
    BOOST_TEST(applied <= acknowledged_now + 1);  // At most the one in flight.
    applied_unacknowledged += std::max<std::int64_t>(0, applied - acknowledged_now);
    acknowledged += acknowledged_now;
    version = now_at;
  }
  BOOST_TEST(mixed == 0);
  print_reliability("SIGKILL of the distribution system while applying adjustments", kills, lost, 0,
                    std::to_string(acknowledged) + " acknowledged adjustments of " +
                        std::to_string(first.size()) + " moves each; " + std::to_string(mixed) +
                        " restarts with half-applied jobs; " +
                        std::to_string(applied_unacknowledged) +
                        " applied but killed before the answer; integrity_check ok");
}

}  // namespace headroom::test
