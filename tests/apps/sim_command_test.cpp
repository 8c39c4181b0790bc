// `headroom sim` as an operator runs it: the files it writes, and the errors bad flags
// and bad fleets get.
#define BOOST_TEST_MODULE apps_sim_command
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/child_process.hpp"
#include "tests/support/scratch_dir.hpp"

namespace headroom::test {
namespace {

std::string run(const std::string& args, int& status) { return run_to_end("sim " + args, status); }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* fleet_json = R"({
  "horizon": {"from": "2026-12-08T00:00:00Z", "to": "2026-12-09T00:00:00Z"},
  "proxies": [{"id": "px-1", "capacity": 1, "threshold": 1}],
  "customers": [{"id": "c1", "services": ["software_distribution"], "time_zone": "UTC"}],
  "devices": [{"id": "d1", "customer": "c1", "monitoring_mode": "proxy", "proxy": "px-1"},
              {"id": "d2", "customer": "c1", "monitoring_mode": "proxy", "proxy": "px-1"}],
  "jobs": [{"id": "j1", "device": "d1", "package": "fw", "start": "2026-12-08T01:00:00Z", "duration_s": 600},
           {"id": "j2", "device": "d2", "package": "fw", "start": "2026-12-08T01:00:00Z", "duration_s": 600}]
})";

BOOST_AUTO_TEST_CASE(json_and_outcomes_have_the_documented_shapes) {
  scratch_dir dir;
  std::ofstream(dir.file("fleet.json")) << fleet_json;
  int status = -1;
  const auto out = run("--fleet " + dir.file("fleet.json") +
                           " --strategy as-scheduled,headroom-warn" + " --retries 0 --json " +
                           dir.file("out.json") + " --outcomes " + dir.file("out.jsonl"),
                       status);
  BOOST_TEST_REQUIRE(status == 0, out);
  BOOST_TEST(out.find("as-scheduled") != std::string::npos);

  const auto json = nlohmann::json::parse(read(dir.file("out.json")));
  BOOST_TEST(json["fleet"]["jobs"] == 2);
  BOOST_TEST(json["strategies"].size() == 2u);
  const auto& scheduled = json["strategies"][0];
  BOOST_TEST(scheduled["strategy"] == "as-scheduled");
  // Capacity 1, no retries: j2 is refused once and fails.
  BOOST_TEST(scheduled["succeeded"] == 1);
  BOOST_TEST(scheduled["failed"] == 1);
  BOOST_TEST(scheduled["refusals"] == 1);
  BOOST_TEST(scheduled["proxies"][0]["proxy"] == "px-1");
  BOOST_TEST(scheduled["proxies"][0]["peak"] == 1);
  for (const char* key :
       {"jobs", "succeeded", "failed", "late", "unschedulable", "refusals", "service_refusals",
        "makespan_s", "makespan_lower_bound_s", "displacement_s", "proxies"})
    BOOST_TEST(scheduled.contains(key), key);
  const auto& warned = json["strategies"][1];
  BOOST_TEST(warned["failed"] == 0);
  BOOST_TEST(warned["makespan_s"] == 1200);

  std::istringstream lines(read(dir.file("out.jsonl")));
  std::vector<nlohmann::json> outcomes;
  for (std::string line; std::getline(lines, line);)
    outcomes.push_back(nlohmann::json::parse(line));
  BOOST_TEST_REQUIRE(outcomes.size() == 4u);  // two strategies × two jobs
  BOOST_TEST(outcomes[1]["job"] == "j2");
  BOOST_TEST(outcomes[1]["outcome"] == "failed");
  BOOST_TEST(outcomes[1]["start"].is_null());
  BOOST_TEST(outcomes[1]["planned"] == "2026-12-08T01:00:00Z");
  BOOST_TEST(outcomes[3]["outcome"] == "succeeded");
  BOOST_TEST(outcomes[3]["start"] == "2026-12-08T01:10:00Z");
}

BOOST_AUTO_TEST_CASE(generate_makes_the_same_fleet_as_gen_fleet) {
  scratch_dir dir;
  int status = -1;
  const auto generated =
      run("--generate devices=200,proxies=3,seed=5 --strategy as-scheduled --json " +
              dir.file("a.json"),
          status);
  BOOST_TEST_REQUIRE(status == 0, generated);
  const auto written = run_to_end(
      "gen-fleet --devices 200 --proxies 3 --seed 5 -o " + dir.file("fleet.json"), status);
  BOOST_TEST_REQUIRE(status == 0, written);
  const auto replayed = run(
      "--fleet " + dir.file("fleet.json") + " --strategy as-scheduled --json " + dir.file("b.json"),
      status);
  BOOST_TEST_REQUIRE(status == 0, replayed);
  BOOST_TEST(read(dir.file("a.json")) == read(dir.file("b.json")));
}

BOOST_AUTO_TEST_CASE(bad_flags_and_fleets_get_a_clear_error) {
  scratch_dir dir;
  std::ofstream(dir.file("fleet.json")) << fleet_json;
  std::ofstream(dir.file("broken.json")) << R"({"proxies": [{"id": "px-1", "capacity": -1}]})";
  const std::string fleet = "--fleet " + dir.file("fleet.json") + " ";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "--fleet or --generate"},
      {fleet + "--generate devices=10,proxies=1", "excludes"},
      {fleet + "--strategy fastest", "unknown strategy 'fastest'"},
      {fleet + "--strategy as-scheduled,as-scheduled", "given twice"},
      {fleet + "--retries -1", "--retries"},
      {fleet + "--retry-after 0", "--retry-after"},
      {fleet + "--rate 0", "--rate"},
      {fleet + "--group-share 1.5", "--group-share"},
      {fleet + "--group-share abc", "--group-share"},
      {fleet + "--duration-noise -1", "--duration-noise"},
      {"--generate devices=10", "needs proxies=N"},
      {"--generate devices=10,proxies=1,colour=red", "unknown key 'colour'"},
      {"--generate devices=ten,proxies=1", "not a whole number"},
      {"--fleet " + dir.file("missing.json"), "missing.json"},
      {"--fleet " + dir.file("broken.json"), "broken.json: customers: missing"},
      {"--generate devices=0,proxies=1", "--generate devices: must be between"},
      {fleet + "--strategy all,as-scheduled", "give it alone"},
      {fleet + "--report /proc/no-such-place", "--report: cannot create"},
      {fleet + "--json " + dir.file("no/such/dir/out.json"), "cannot write"},
  };
  for (const auto& [args, says] : cases) {
    int status = -1;
    const auto out = run(args, status);
    BOOST_TEST_CONTEXT("headroom sim " << args) {
      BOOST_TEST(status != 0);
      BOOST_TEST(out.find(says) != std::string::npos, out);
    }
  }
}

// The same two devices behind one relay of capacity 1, live: d2 is refused and, with no
// retry, fails; what the relay measured is written in the virtual replay's JSON form.
BOOST_AUTO_TEST_CASE(live_runs_the_devices_through_a_real_relay) {
  scratch_dir dir;
  auto fleet = nlohmann::json::parse(fleet_json);
  fleet["packages"] = {{{"id", "fw"}, {"version", "1.0"}, {"size_bytes", 50000000}}};
  std::ofstream(dir.file("fleet.json")) << fleet.dump();
  int status = -1;
  const auto out = run("--live --fleet " + dir.file("fleet.json") +
                           " --strategy as-scheduled --retries 0 --speed 600 --lead 10"
                           " --image-bytes 4096 --data-dir " +
                           dir.file("live") + " --json " + dir.file("out.json"),
                       status);
  BOOST_TEST_REQUIRE(status == 0, out);
  BOOST_TEST(out.find("measured live") != std::string::npos, out);
  BOOST_TEST(out.find("predicted by the virtual-time replay") != std::string::npos, out);
  BOOST_TEST(out.find("0 tries broke") != std::string::npos, out);
  const auto json = nlohmann::json::parse(read(dir.file("out.json")));
  const auto& measured = json["strategies"][0];
  BOOST_TEST(measured["strategy"] == "as-scheduled");
  BOOST_TEST(measured["succeeded"] == 1);
  BOOST_TEST(measured["failed"] == 1);
  BOOST_TEST(measured["refusals"] == 1);
  BOOST_TEST(measured["proxies"][0]["peak"] == 1);
}

BOOST_AUTO_TEST_CASE(live_refuses_what_it_cannot_play) {
  scratch_dir dir;
  std::ofstream(dir.file("fleet.json")) << fleet_json;
  const std::string fleet = " --fleet " + dir.file("fleet.json");
  int status = -1;
  auto out = run("--live --strategy rollout-groups" + fleet, status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("rollout-groups cannot run with --live") != std::string::npos, out);
  out = run("--live --duration-noise 0.2" + fleet, status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("--duration-noise: live devices") != std::string::npos, out);
  out = run("--live --speed 0" + fleet, status);
  BOOST_TEST(status != 0);
  BOOST_TEST(out.find("--speed: must be 1..3600") != std::string::npos, out);
}

}  // namespace
}  // namespace headroom::test
