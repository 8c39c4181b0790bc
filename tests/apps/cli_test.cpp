#define BOOST_TEST_MODULE apps_cli
#include <sys/wait.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct run_result {
  int status = -1;
  std::string out;  ///< stdout and stderr together
};

run_result headroom(const std::string& args) {
  const std::string command = std::string(HEADROOM_BINARY) + " " + args + " 2>&1";
  run_result r;
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (const auto n = fread(buffer.data(), 1, buffer.size(), pipe))
    r.out.append(buffer.data(), n);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

/// A scratch folder removed when the test ends.
struct scratch {
  fs::path dir = fs::temp_directory_path() / ("headroom-cli-" + std::to_string(::getpid()));
  scratch() { fs::create_directories(dir); }
  ~scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

const char* fleet_json = R"({
  "horizon": {"from": "2026-12-08T00:00:00Z", "to": "2026-12-09T00:00:00Z"},
  "proxies": [{"id": "px-1", "capacity": 2, "threshold": 1}],
  "customers": [{"id": "c1", "services": ["software_distribution"], "time_zone": "UTC",
                 "maintenance_windows": [{"from": "01:00", "to": "05:00"}]}],
  "devices": [{"id": "d1", "customer": "c1", "monitoring_mode": "proxy", "proxy": "px-1"},
              {"id": "d2", "customer": "c1", "monitoring_mode": "proxy", "proxy": "px-1"}],
  "jobs": [{"id": "j1", "device": "d1", "package": "fw", "start": "2026-12-08T01:00:00Z", "duration_s": 600},
           {"id": "j2", "device": "d2", "package": "fw", "start": "2026-12-08T02:00:00+01:00", "duration_s": 600}]
})";

}  // namespace

BOOST_AUTO_TEST_CASE(check_prints_a_table_by_default) {
  scratch s;
  const auto r = headroom("check " + s.write("fleet.json", fleet_json));
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.find("Overload windows: 1 on 1 of 1 proxies") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(check_json_with_adjust_moves_the_second_job) {
  scratch s;
  const auto r = headroom("check --adjust --json " + s.write("fleet.json", fleet_json));
  BOOST_REQUIRE_EQUAL(r.status, 0);
  const auto report = nlohmann::json::parse(r.out);
  BOOST_TEST(report["windows"].size() == 1u);
  BOOST_TEST(report["adjustments"][0]["job"] == "j2");
  BOOST_TEST(report["adjustments"][0]["to"] == "2026-12-08T01:10:00Z");
  BOOST_TEST(report["windows_after"].empty());
}

BOOST_AUTO_TEST_CASE(check_horizon_flags_narrow_the_view) {
  scratch s;
  const auto file = s.write("fleet.json", fleet_json);
  const auto r =
      headroom("check --json --from 2026-12-08T01:05:00Z --to 2026-12-08T01:07:00Z " + file);
  BOOST_REQUIRE_EQUAL(r.status, 0);
  BOOST_TEST(nlohmann::json::parse(r.out)["windows"][0]["start"] == "2026-12-08T01:05:00Z");
  const auto bad = headroom("check --from yesterday " + file);
  BOOST_TEST(bad.status != 0);
  BOOST_TEST(bad.out.find("--from: 'yesterday' is not an RFC 3339 time") != std::string::npos,
             bad.out);
}

BOOST_AUTO_TEST_CASE(check_refuses_bad_input_naming_the_path) {
  scratch s;
  std::string broken = fleet_json;
  broken.replace(broken.find("2026-12-08T02:00:00+01:00"), 25, "2026-12-08T02:00:00");
  const auto r = headroom("check " + s.write("broken.json", broken));
  BOOST_TEST(r.status == 1);
  BOOST_TEST(
      r.out.find("jobs[1].start: '2026-12-08T02:00:00' is not an RFC 3339 time with an offset") !=
          std::string::npos,
      r.out);
  const auto missing = headroom("check " + s.path("absent.json"));
  BOOST_TEST(missing.status == 1);
  BOOST_TEST(missing.out.find("cannot read the file") != std::string::npos, missing.out);
}

BOOST_AUTO_TEST_CASE(gen_fleet_is_reproducible_and_checkable) {
  scratch s;
  const std::string flags = "gen-fleet --devices 400 --proxies 6 --seed 5 -o ";
  BOOST_REQUIRE_EQUAL(headroom(flags + s.path("a.json")).status, 0);
  BOOST_REQUIRE_EQUAL(headroom(flags + s.path("b.json")).status, 0);
  std::stringstream a, b;
  a << std::ifstream(s.path("a.json")).rdbuf();
  b << std::ifstream(s.path("b.json")).rdbuf();
  BOOST_TEST((a.str() == b.str()));
  const auto r = headroom("check --adjust " + s.path("a.json"));
  BOOST_TEST(r.status == 0, r.out);
  const auto bad = headroom("gen-fleet --devices 0 --proxies 6 --seed 5 -o " + s.path("c.json"));
  BOOST_TEST(bad.status != 0);
  BOOST_TEST(bad.out.find("--devices: must be between 1 and 50000000") != std::string::npos,
             bad.out);
}
