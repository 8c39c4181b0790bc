// The resources of the machine API against the real server and a real SQLite file.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>

#include "formats/fleet_reader.hpp"
#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {
namespace {

std::vector<std::string> ids(const nlohmann::json& page) {
  std::vector<std::string> out;
  for (const auto& item : page.at("items")) out.push_back(item.at("id").get<std::string>());
  return out;
}

/// Follows next_cursor to the end, `limit` items at a time.
std::vector<std::string> all_ids(const http_client& c, const std::string& path, int limit) {
  std::vector<std::string> out;
  std::string cursor;
  const char* sep = path.find('?') == std::string::npos ? "?" : "&";
  for (int guard = 0; guard < 100; ++guard) {
    auto r = c.get(path + sep + "limit=" + std::to_string(limit) +
                   (cursor.empty() ? "" : "&cursor=" + cursor));
    BOOST_REQUIRE_EQUAL(r.status, 200);
    const auto page = r.json();
    BOOST_TEST(static_cast<int>(page.at("items").size()) <= limit);
    for (auto& id : ids(page)) out.push_back(id);
    if (page.at("next_cursor").is_null()) return out;
    cursor = page.at("next_cursor").get<std::string>();
  }
  BOOST_FAIL("paging did not end");
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_api, server_fixture)

BOOST_AUTO_TEST_CASE(fleet_import_then_export_gives_the_same_fleet) {
  import_small_fleet();
  const auto r = client().get("/api/v1/fleet");
  BOOST_REQUIRE_EQUAL(r.status, 200);
  auto exported = formats::parse_fleet(r.body);
  BOOST_REQUIRE(exported);
  BOOST_TEST(formats::fleet_to_json(*exported) == formats::fleet_to_json(small_fleet()));
}

BOOST_AUTO_TEST_CASE(fleet_import_reports_the_first_bad_value_by_path) {
  auto fleet = nlohmann::json::parse(formats::fleet_to_json(small_fleet()));
  fleet["jobs"][2]["start"] = "yesterday";
  const auto r = client().put("/api/v1/fleet", fleet.dump());
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.header("Content-Type") == "application/problem+json");
  BOOST_TEST(r.json().at("path") == "jobs[2].start");
}

BOOST_AUTO_TEST_CASE(inventory_lists_page_to_the_end) {
  import_small_fleet();
  const auto c = client();
  BOOST_TEST(all_ids(c, "/api/v1/customers", 1) == (std::vector<std::string>{"acme", "globex"}));
  BOOST_TEST(all_ids(c, "/api/v1/devices", 2) ==
             (std::vector<std::string>{"d1", "d2", "d3", "d4", "d5"}));
  BOOST_TEST(all_ids(c, "/api/v1/proxies", 1) == (std::vector<std::string>{"px-a", "px-b"}));
  BOOST_TEST(all_ids(c, "/api/v1/packages", 1) == (std::vector<std::string>{"fw-1", "fw-2"}));
  BOOST_TEST(all_ids(c, "/api/v1/jobs", 4) ==
             (std::vector<std::string>{"j1", "j2", "j3", "j4", "j5", "j6"}));
  const auto services = c.get("/api/v1/services?limit=1").json();
  BOOST_TEST(services.at("items").size() == 1u);
  BOOST_TEST(services.at("items")[0].at("service") == "counter_collection");
  const auto rest =
      c.get("/api/v1/services?cursor=" + services.at("next_cursor").get<std::string>()).json();
  BOOST_TEST(rest.at("items")[0].at("device") == "d4");
  BOOST_TEST(rest.at("next_cursor").is_null());
}

BOOST_AUTO_TEST_CASE(customers_carry_contract_time_zone_and_windows) {
  import_small_fleet();
  const auto acme = client().get("/api/v1/customers").json().at("items")[0];
  BOOST_TEST(acme.at("time_zone") == "Europe/Berlin");
  BOOST_TEST(acme.at("services").size() == 2u);
  BOOST_TEST(acme.at("maintenance_windows")[0].at("from") == "02:00");
}

BOOST_AUTO_TEST_CASE(devices_filter_by_customer_model_and_mode) {
  import_small_fleet();
  const auto c = client();
  BOOST_TEST(ids(c.get("/api/v1/devices?customer=globex").json()) ==
             (std::vector<std::string>{"d4", "d5"}));
  BOOST_TEST(ids(c.get("/api/v1/devices?model=mfp-y").json()) ==
             (std::vector<std::string>{"d3", "d4"}));
  BOOST_TEST(ids(c.get("/api/v1/devices?monitoring_mode=direct").json()) ==
             (std::vector<std::string>{"d5"}));
  BOOST_TEST(c.get("/api/v1/devices?customer=acme").json().at("items")[0].at("proxies")[0] ==
             "px-a");
}

BOOST_AUTO_TEST_CASE(jobs_filter_by_proxy_device_time_and_update) {
  import_small_fleet();
  const auto c = client();
  BOOST_TEST(ids(c.get("/api/v1/jobs?proxy=px-a").json()) ==
             (std::vector<std::string>{"j1", "j2", "j3", "j4"}));
  BOOST_TEST(ids(c.get("/api/v1/jobs?proxy=px-b").json()) == (std::vector<std::string>{"j5"}));
  BOOST_TEST(ids(c.get("/api/v1/jobs?device=d1").json()) == (std::vector<std::string>{"j1", "j4"}));
  BOOST_TEST(ids(c.get("/api/v1/jobs?proxy=px-a&from=2026-12-01T10:09:00Z&to=2026-12-01T14:00:00Z")
                     .json()) == (std::vector<std::string>{"j1", "j2", "j3"}));
  now = *domain::parse_rfc3339("2026-11-30T13:00:00Z");
  BOOST_REQUIRE_EQUAL(c.patch("/api/v1/jobs/j5", R"({"version": 1, "priority": 5})").status, 200);
  BOOST_TEST(ids(c.get("/api/v1/jobs?updated_since=2026-11-30T12:30:00Z").json()) ==
             (std::vector<std::string>{"j5"}));
}

BOOST_AUTO_TEST_CASE(job_create_read_and_versioned_patch) {
  import_small_fleet();
  const auto c = client();
  auto created = c.post("/api/v1/jobs", R"({"id": "j7", "device": "d2", "package": "fw-2",
      "start": "2026-12-01T16:00:00Z", "duration_s": 120, "deadline": "2026-12-01T18:00:00Z"})");
  BOOST_REQUIRE_EQUAL(created.status, 201);
  BOOST_TEST(created.header("Location") == "/api/v1/jobs/j7");
  BOOST_TEST(created.json().at("version") == 1);
  BOOST_TEST(created.json().at("status") == "scheduled");
  BOOST_TEST(c.post("/api/v1/jobs", R"({"id": "j7", "device": "d2", "package": "fw-2",
      "start": "2026-12-01T16:00:00Z", "duration_s": 120})")
                 .status == 409);

  auto moved = c.patch("/api/v1/jobs/j7",
                       R"({"version": 1, "start": "2026-12-01T17:00:00Z", "deadline": null})");
  BOOST_REQUIRE_EQUAL(moved.status, 200);
  BOOST_TEST(moved.json().at("version") == 2);
  BOOST_TEST(moved.json().at("start") == "2026-12-01T17:00:00Z");
  BOOST_TEST(moved.json().at("deadline").is_null());

  auto stale = c.patch("/api/v1/jobs/j7", R"({"version": 1, "start": "2026-12-01T18:00:00Z"})");
  BOOST_TEST(stale.status == 409);
  BOOST_TEST(stale.json().at("path") == "version");
  BOOST_TEST(c.get("/api/v1/jobs/j7").json().at("start") == "2026-12-01T17:00:00Z");
  BOOST_TEST(c.get("/api/v1/jobs/nope").status == 404);
  BOOST_TEST(c.patch("/api/v1/jobs/nope", R"({"version": 1})").status == 404);
}

BOOST_AUTO_TEST_CASE(reimporting_the_fleet_makes_held_versions_stale) {
  import_small_fleet();
  import_small_fleet();
  const auto c = client();
  BOOST_TEST(c.get("/api/v1/jobs/j1").json().at("version") == 2);
  BOOST_TEST(c.patch("/api/v1/jobs/j1", R"({"version": 1, "priority": 2})").status == 409);
}

BOOST_AUTO_TEST_CASE(topology_replaces_proxies_and_reports_unknown_devices) {
  import_small_fleet();
  const auto c = client();
  auto r = c.put("/api/v1/topology", R"({"proxies": [
      {"id": "px-a", "capacity": 10, "threshold": 8, "devices": ["d1", "d2"]},
      {"id": "px-c", "capacity": 5, "threshold": 4, "devices": ["d3", "d4", "ghost"]}]})");
  BOOST_REQUIRE_EQUAL(r.status, 200);
  BOOST_TEST(r.json().at("unknown_devices") == nlohmann::json::array({"ghost"}));
  const auto topology = c.get("/api/v1/topology").json().at("proxies");
  BOOST_REQUIRE_EQUAL(topology.size(), 2u);
  BOOST_TEST(topology[1].at("id") == "px-c");
  BOOST_TEST(topology[1].at("devices") == nlohmann::json::array({"d3", "d4"}));
  BOOST_TEST(ids(c.get("/api/v1/jobs?proxy=px-c").json()) ==
             (std::vector<std::string>{"j3", "j5"}));
  auto bad =
      c.put("/api/v1/topology",
            R"({"proxies": [{"id": "px-a", "capacity": 10, "threshold": 11, "devices": []}]})");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.json().at("path") == "proxies[0].threshold");
}

BOOST_AUTO_TEST_CASE(a_detectors_topology_replaces_only_its_own_proxies) {
  import_small_fleet();
  const auto c = client();
  const auto ids_of = [](const nlohmann::json& proxies) {
    std::vector<std::string> out;
    for (const auto& p : proxies) out.push_back(p.at("id"));
    return out;
  };
  BOOST_REQUIRE_EQUAL(c.put("/api/v1/topology", R"({"detector": "det-1", "proxies": [
      {"id": "px-a", "capacity": 10, "threshold": 8, "devices": ["d1", "d2"]}]})")
                          .status,
                      200);
  BOOST_REQUIRE_EQUAL(c.put("/api/v1/topology", R"({"detector": "det-2", "proxies": [
      {"id": "px-c", "capacity": 5, "threshold": 4, "devices": ["d3", "d4"]}]})")
                          .status,
                      200);
  // det-1 reports again, with px-a changed: det-2's px-c stays as it reported it.
  BOOST_REQUIRE_EQUAL(c.put("/api/v1/topology", R"({"detector": "det-1", "proxies": [
      {"id": "px-a", "capacity": 12, "threshold": 9, "devices": ["d1"]}]})")
                          .status,
                      200);
  auto topology = c.get("/api/v1/topology").json().at("proxies");
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& p : topology) by_id[p.at("id")] = p;
  BOOST_REQUIRE(by_id.count("px-a") == 1u);
  BOOST_REQUIRE(by_id.count("px-c") == 1u);
  BOOST_TEST(by_id["px-a"].at("capacity") == 12);
  BOOST_TEST(by_id["px-a"].at("devices") == nlohmann::json::array({"d1"}));
  BOOST_TEST(by_id["px-c"].at("devices") == nlohmann::json::array({"d3", "d4"}));
  BOOST_TEST(ids(c.get("/api/v1/jobs?proxy=px-c").json()) ==
             (std::vector<std::string>{"j3", "j5"}));
  // det-1 no longer reports px-a: it goes; px-c stays.
  BOOST_REQUIRE_EQUAL(c.put("/api/v1/topology", R"({"detector": "det-1", "proxies": []})").status,
                      200);
  const auto left = ids_of(c.get("/api/v1/topology").json().at("proxies"));
  BOOST_TEST(std::count(left.begin(), left.end(), "px-a") == 0);
  BOOST_TEST(std::count(left.begin(), left.end(), "px-c") == 1);
  // A report without a detector replaces everything, as before.
  BOOST_REQUIRE_EQUAL(c.put("/api/v1/topology", R"({"proxies": [
      {"id": "px-b", "capacity": 5, "threshold": 4, "devices": ["d1"]}]})")
                          .status,
                      200);
  BOOST_TEST(ids_of(c.get("/api/v1/topology").json().at("proxies")) ==
             (std::vector<std::string>{"px-b"}));
}

BOOST_AUTO_TEST_CASE(restart_keeps_every_change) {
  import_small_fleet();
  BOOST_REQUIRE_EQUAL(
      client()
          .patch("/api/v1/jobs/j2", R"({"version": 1, "start": "2026-12-01T11:00:00Z"})")
          .status,
      200);
  BOOST_REQUIRE_EQUAL(
      client()
          .post("/api/v1/notifications", R"({"detector": "det", "proxy": "px-a", "windows": []})",
                {{"Idempotency-Key", "k-restart"}})
          .status,
      201);
  restart();
  const auto c = client();
  const auto j2 = c.get("/api/v1/jobs/j2").json();
  BOOST_TEST(j2.at("start") == "2026-12-01T11:00:00Z");
  BOOST_TEST(j2.at("version") == 2);
  BOOST_TEST(c.get("/api/v1/notifications").json().at("items").size() == 1u);
  BOOST_TEST(c.get("/healthz").json().at("jobs") == 6);
}

BOOST_AUTO_TEST_CASE(health_and_metrics_are_open) {
  import_small_fleet();
  const auto anon = anonymous();
  const auto health = anon.get("/healthz");
  BOOST_TEST(health.status == 200);
  BOOST_TEST(health.json().at("status") == "ok");
  const auto metrics = anon.get("/metrics");
  BOOST_TEST(metrics.status == 200);
  BOOST_TEST(metrics.body.find("headroom_store_rows{table=\"jobs\"} 6") != std::string::npos);
  BOOST_TEST(metrics.body.find("headroom_http_requests_total{method=\"PUT\",route=\"/api/v1/"
                               "fleet\",status=\"200\"} 1") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
