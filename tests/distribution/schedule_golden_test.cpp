// The schedule screen must answer the bytes it answered before it read one proxy's part of
// the fleet through the store's per-proxy job index (issue 13). golden/schedule/*.html were
// written by main at bee54d5 (this file run there with HEADROOM_WRITE_GOLDEN=1) on
// golden/schedule/fleet.json (`headroom gen-fleet --devices 120 --proxies 6 --rollouts 2
// --seed 5`: chained proxies, direct devices, services, customers without distribution),
// in the Europe/Berlin zone: every proxy over the whole horizon and over two hours,
// previews of moves, the errors, and the screens after job updates, a move and a topology.
// The edited-* pages were written again once a detector's topology report kept the places
// of the proxies it takes over (store/topology_writes.cpp): px-3 stays third in the proxy
// selector instead of going last; no other byte changed.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/distribution_fixture.hpp"
#include "tests/support/operator_login.hpp"

namespace headroom::test {
namespace {

const std::string golden_dir =
    std::string(HEADROOM_SOURCE_DIR) + "/tests/distribution/golden/schedule/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct golden_fixture : server_fixture {
  golden_fixture() {
    display_time_zone = "Europe/Berlin";
    restart();
    const auto fleet = client().put("/api/v1/fleet", read_file(golden_dir + "fleet.json"));
    BOOST_REQUIRE_MESSAGE(fleet.status == 200, fleet.body);
    const auto password = service().add_operator("alice");
    BOOST_REQUIRE(password.has_value());
    const auto form = login_form::fetch(*this);
    const auto r = form.post(*this, "alice", *password);
    BOOST_REQUIRE_EQUAL(r.status, 303);
    cookie = cookie_pair_of(r);
  }

  reply page(const std::string& target) const {
    return anonymous().send(http::verb::get, target, {}, {{"Cookie", cookie}}, false);
  }

  /// The first `n` jobs the job list gives for the proxy.
  std::vector<nlohmann::json> jobs_of(const std::string& proxy, int n) const {
    const auto r = client().get("/api/v1/jobs?proxy=" + proxy + "&limit=" + std::to_string(n));
    BOOST_REQUIRE_EQUAL(r.status, 200);
    return r.json().at("items").get<std::vector<nlohmann::json>>();
  }

  /// The jobs the proxy's screen offers to move (counted, over the whole horizon), in order.
  std::vector<std::string> movable(const std::string& proxy) const {
    const auto html = page("/schedule?proxy=" + proxy).body;
    std::vector<std::string> out;
    const std::regex re("name=\"move\\.([^\"]+)\"");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
         ++it)
      out.push_back((*it)[1].str());
    return out;
  }

  /// Compares the page with its golden file (or writes the file, with HEADROOM_WRITE_GOLDEN).
  void check(const std::string& name, const std::string& target) {
    const auto r = page(target);
    // The session's CSRF token is the page's only random part.
    const auto body = std::to_string(r.status) + "\n" +
                      std::regex_replace(r.body, std::regex("name=\"csrf\" value=\"[^\"]*\""),
                                         "name=\"csrf\" value=\"CSRF\"");
    const auto file = golden_dir + name + ".html";
    if (std::getenv("HEADROOM_WRITE_GOLDEN")) {
      std::ofstream(file, std::ios::binary) << body;
      return;
    }
    const auto expected = read_file(file);
    BOOST_TEST_CONTEXT(name << ": " << target) {
      BOOST_REQUIRE_MESSAGE(!expected.empty(), "no golden file " + file);
      const auto [at, ignored] =
          std::mismatch(body.begin(), body.end(), expected.begin(), expected.end());
      BOOST_TEST(body.size() == expected.size());
      BOOST_TEST((body == expected), "first difference at byte "
                                         << (at - body.begin()) << ": "
                                         << body.substr(at - body.begin(), 80));
    }
  }

  std::string cookie;
};

const std::vector<std::string> proxies{"px-1", "px-2", "px-3", "px-4", "px-5", "px-6"};

/// Every proxy over the whole horizon and over two hours of a rollout morning.
void check_every_proxy(golden_fixture& g, const std::string& stage) {
  for (const auto& p : proxies) {
    auto name = stage;
    name.append("-").append(p);
    auto target = "/schedule?proxy=" + p;
    g.check(name, target);
    g.check(name + "-two-hours", target + "&from=2026-12-08T01:00:00Z&to=2026-12-08T03:00:00Z");
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_schedule_golden, golden_fixture)

BOOST_AUTO_TEST_CASE(the_schedule_screen_answers_the_bytes_it_answered_before_the_index) {
  check("default", "/schedule");
  check_every_proxy(*this, "imported");
  // Previews: two jobs of the proxy, a job behind another proxy only, a move into the range.
  const auto mine = movable("px-1");
  BOOST_REQUIRE_GE(mine.size(), 2u);
  const auto& a = mine[0];
  const auto& b = mine[1];
  check("preview",
        "/schedule?proxy=px-1&move." + a + "=on&move." + b + "=on&new_start=2026-12-09T04:30");
  std::string other;
  for (const auto& id : movable("px-3"))
    if (std::find(mine.begin(), mine.end(), id) == mine.end()) {
      other = id;
      break;
    }
  BOOST_REQUIRE(!other.empty());
  check("preview-of-a-job-elsewhere",
        "/schedule?proxy=px-1&move." + other + "=on&new_start=2026-12-09T04:30");
  check("preview-into-the-range",
        "/schedule?proxy=px-1&from=2026-12-10T00:00:00Z&to=2026-12-10T06:00:00Z&move." + a +
            "=on&new_start=2026-12-10T02:00");
  check("one-day", "/schedule?proxy=px-3&from=2026-12-07T00:00&to=2026-12-08T00:00");
  // Bad input keeps its clear error.
  check("unknown-proxy", "/schedule?proxy=nope");
  check("bad-from", "/schedule?proxy=px-1&from=garbage");
  check("empty-range", "/schedule?proxy=px-1&from=2026-12-08T00:00:00Z&to=2026-12-08T00:00:00Z");
  check("too-long", "/schedule?proxy=px-1&from=2026-11-01T00:00:00Z&to=2026-12-08T00:00:00Z");
  check("unknown-job", "/schedule?proxy=px-1&move.nope=on&new_start=2026-12-08T00:00");
  check("no-new-start", "/schedule?proxy=px-2&move." + a + "=on");

  // After a move confirmed on the screen, job updates (done, failed, moved, shortened), a
  // created job and a detector's topology.
  const auto patch = [&](const nlohmann::json& job, const std::string& change) {
    const auto r = client().send(
        http::verb::patch, "/api/v1/jobs/" + job.at("id").get<std::string>(),
        R"({"version": )" + std::to_string(job.at("version").get<int>()) + ", " + change + "}");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
  };
  const auto preview = page("/schedule?proxy=px-1&move." + a + "=on&new_start=2026-12-09T04:30");
  const auto moved = anonymous().send(
      http::verb::post, "/schedule/move",
      "csrf=" + form_field_of(preview.body, "csrf") + "&proxy=px-1&from=" +
          form_field_of(preview.body, "from") + "&to=" + form_field_of(preview.body, "to") +
          "&job." + a + "=" + form_field_of(preview.body, "job\\." + a),
      {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}}, false);
  BOOST_REQUIRE_EQUAL(moved.status, 303);
  check("after-the-move", moved.header("Location"));
  const auto px1 = jobs_of("px-1", 4);
  BOOST_REQUIRE_EQUAL(px1.size(), 4u);
  patch(px1[0], R"("status": "done")");
  patch(px1[1], R"("status": "failed")");
  patch(px1[2], R"("start": "2026-12-08T02:10:00Z")");
  patch(px1[3], R"("duration_s": 30)");
  const auto created = client().post(
      "/api/v1/jobs", R"({"id": "added", "device": ")" + px1[0].at("device").get<std::string>() +
                          R"(", "package": ")" + px1[0].at("package").get<std::string>() +
                          R"(", "start": "2026-12-08T01:30:00Z", "duration_s": 5400})");
  BOOST_REQUIRE_MESSAGE(created.status == 201, created.body);
  const auto topology = client().send(
      http::verb::put, "/api/v1/topology",
      R"({"detector": "det-1", "proxies": [{"id": "px-3", "capacity": 9, "threshold": 2, "devices": [")" +
          px1[0].at("device").get<std::string>() + R"("]}]})");
  BOOST_REQUIRE_MESSAGE(topology.status == 200, topology.body);
  check_every_proxy(*this, "edited");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
