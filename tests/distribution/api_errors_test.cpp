// Every error is an RFC 9457 problem document naming the offending place.
#include <boost/test/unit_test.hpp>

#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {
namespace {

void expect_problem(const reply& r, int status, const std::string& path) {
  BOOST_TEST(r.status == status);
  BOOST_TEST(r.header("Content-Type") == "application/problem+json");
  const auto p = r.json();
  BOOST_TEST(p.at("status") == status);
  BOOST_TEST(!p.at("type").get<std::string>().empty());
  BOOST_TEST(!p.at("title").get<std::string>().empty());
  BOOST_TEST(!p.at("detail").get<std::string>().empty());
  if (path.empty())
    BOOST_TEST(!p.contains("path"));
  else
    BOOST_TEST(p.value("path", "") == path);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_api_errors, server_fixture)

BOOST_AUTO_TEST_CASE(malformed_json_is_400) {
  import_small_fleet();
  expect_problem(client().post("/api/v1/jobs", R"({"id": "j9",)"), 400, "");
  expect_problem(client().put("/api/v1/topology", "[1, 2"), 400, "");
}

BOOST_AUTO_TEST_CASE(unknown_missing_and_mistyped_fields_name_their_path) {
  import_small_fleet();
  const auto c = client();
  expect_problem(c.post("/api/v1/jobs", R"({"id": "j9", "device": "d1", "package": "fw-1",
      "start": "2026-12-01T10:00:00Z", "duration_s": 60, "colour": "red"})"),
                 400, "colour");
  expect_problem(c.post("/api/v1/jobs",
                        R"({"id": "j9", "device": "d1", "package": "fw-1", "duration_s": 60})"),
                 400, "start");
  expect_problem(c.post("/api/v1/jobs", R"({"id": "j9", "device": "d1", "package": "fw-1",
      "start": "2026-12-01T10:00:00Z", "duration_s": "long"})"),
                 400, "duration_s");
  expect_problem(c.post("/api/v1/jobs", R"({"id": "j9", "device": "nobody", "package": "fw-1",
      "start": "2026-12-01T10:00:00Z", "duration_s": 60})"),
                 400, "device");
  expect_problem(c.patch("/api/v1/jobs/j1", R"({"start": "2026-12-01T10:00:00Z"})"), 400,
                 "version");
  expect_problem(c.patch("/api/v1/jobs/j1", R"({"version": 1, "status": "lost"})"), 400, "status");
  expect_problem(
      c.put("/api/v1/topology", R"({"proxies": [{"id": "p", "capacity": 2, "threshold": 1,
      "devices": ["d1", 7]}]})"),
      400, "proxies[0].devices[1]");
}

BOOST_AUTO_TEST_CASE(bad_query_parameters_name_the_parameter) {
  import_small_fleet();
  const auto c = client();
  expect_problem(c.get("/api/v1/jobs?limit=0"), 400, "query.limit");
  expect_problem(c.get("/api/v1/jobs?limit=5000"), 400, "query.limit");
  expect_problem(c.get("/api/v1/jobs?changed_after=-1"), 400, "query.changed_after");
  expect_problem(c.get("/api/v1/jobs?changed_after=x7"), 400, "query.changed_after");
  expect_problem(c.get("/api/v1/jobs?cursor=not-a-cursor"), 400, "query.cursor");
  expect_problem(c.get("/api/v1/jobs?from=monday"), 400, "query.from");
  expect_problem(c.get("/api/v1/jobs?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z"), 400,
                 "query.to");
  expect_problem(c.get("/api/v1/jobs?colour=red"), 400, "query.colour");
  expect_problem(c.get("/api/v1/devices?monitoring_mode=carrier-pigeon"), 400,
                 "query.monitoring_mode");
}

BOOST_AUTO_TEST_CASE(unknown_routes_are_404_and_wrong_methods_405) {
  const auto c = client();
  expect_problem(c.get("/api/v1/nothing-here"), 404, "");
  expect_problem(c.get("/api/v1/jobs/j1/extra"), 404, "");
  const auto r = c.send(http::verb::delete_, "/api/v1/jobs");
  expect_problem(r, 405, "");
  BOOST_TEST(r.header("Allow") == "GET, POST");
  expect_problem(c.send(http::verb::post, "/api/v1/fleet", "{}"), 405, "");
}

BOOST_AUTO_TEST_CASE(machine_routes_need_the_bearer_token) {
  const auto missing = anonymous().get("/api/v1/jobs");
  expect_problem(missing, 401, "Authorization");
  BOOST_TEST(missing.header("WWW-Authenticate").find("Bearer") == 0u);
  expect_problem(http_client(port(), "wrong-token-0123456789").get("/api/v1/jobs"), 401,
                 "Authorization");
  BOOST_TEST(anonymous().get("/api/v1/openapi.json").status == 200);
}

BOOST_AUTO_TEST_CASE(oversized_bodies_are_413_before_they_are_read) {
  const std::string big(config().max_body_bytes + 1, ' ');
  expect_problem(client().post("/api/v1/jobs", big), 413, "");
  // The fleet route has its own, larger limit, also above Beast's default of 1 MiB.
  const auto fleet = client().put("/api/v1/fleet", "{" + std::string(2 * 1024 * 1024, ' ') + "}");
  BOOST_TEST(fleet.status == 400);
  BOOST_TEST(fleet.json().at("path") == "proxies");
}

BOOST_AUTO_TEST_CASE(a_malformed_percent_escape_is_400) {
  expect_problem(client().get("/api/v1/jobs?device=%zz"), 400, "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
