// The server's machine routes and distribution_api/openapi.json describe the same API.
#include "distribution/api/openapi.hpp"

#include <boost/test/unit_test.hpp>
#include <set>

#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {

BOOST_FIXTURE_TEST_SUITE(distribution_openapi, server_fixture)

BOOST_AUTO_TEST_CASE(routes_and_openapi_document_agree) {
  std::set<std::string> routes;
  for (const auto& [method, pattern] : service().api_routes()) {
    std::string lower = method;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    routes.insert(lower + " " + pattern);
  }
  const auto doc = nlohmann::json::parse(distribution::openapi_document());
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, op] : item.items())
      if (method != "parameters") documented.insert(method + " " + path);
  BOOST_TEST(routes == documented, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(served_document_is_the_compiled_in_file) {
  const auto r = anonymous().get("/api/v1/openapi.json");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.json().at("openapi") == "3.1.0");
  BOOST_TEST(r.body == std::string(distribution::openapi_document()));
}

BOOST_AUTO_TEST_CASE(every_operation_is_named_and_answers_documented) {
  const auto doc = nlohmann::json::parse(distribution::openapi_document());
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      BOOST_TEST_CONTEXT(method << " " << path) {
        BOOST_TEST(op.contains("operationId"));
        BOOST_TEST(!op.at("responses").empty());
      }
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
