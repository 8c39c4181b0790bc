// Package images: upload, then download whole, resumed by Range, and revalidated by ETag.
#include <boost/test/unit_test.hpp>

#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {
namespace {

std::string image() {
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes.push_back(static_cast<char>(i * 7 % 251));
  return bytes;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_firmware, server_fixture)

BOOST_AUTO_TEST_CASE(uploaded_image_downloads_whole_and_by_range) {
  import_small_fleet();
  const auto c = client();
  const auto bytes = image();
  const auto up = c.send(http::verb::put, "/firmware/fw-1", bytes,
                         {{"Content-Type", "application/octet-stream"}});
  BOOST_REQUIRE_EQUAL(up.status, 200);
  const auto package = up.json();
  BOOST_TEST(package.at("size_bytes") == 5000);
  BOOST_TEST(package.at("sha256").get<std::string>().size() == 64u);
  BOOST_TEST(package.at("version") == "1.0.0");

  const auto whole = anonymous().get("/firmware/fw-1");
  BOOST_REQUIRE_EQUAL(whole.status, 200);
  BOOST_TEST(whole.body == bytes);
  BOOST_TEST(whole.header("Accept-Ranges") == "bytes");
  const auto etag = whole.header("ETag");
  BOOST_TEST(etag == "\"" + package.at("sha256").get<std::string>() + "\"");

  const auto resumed =
      anonymous().send(http::verb::get, "/firmware/fw-1", {}, {{"Range", "bytes=4000-"}});
  BOOST_REQUIRE_EQUAL(resumed.status, 206);
  BOOST_TEST(resumed.body == bytes.substr(4000));
  BOOST_TEST(resumed.header("Content-Range") == "bytes 4000-4999/5000");
  const auto tail =
      anonymous().send(http::verb::get, "/firmware/fw-1", {}, {{"Range", "bytes=-10"}});
  BOOST_TEST(tail.body == bytes.substr(4990));
  const auto middle =
      anonymous().send(http::verb::get, "/firmware/fw-1", {}, {{"Range", "bytes=10-19"}});
  BOOST_TEST(middle.body == bytes.substr(10, 10));

  const auto outside =
      anonymous().send(http::verb::get, "/firmware/fw-1", {}, {{"Range", "bytes=6000-"}});
  BOOST_TEST(outside.status == 416);
  BOOST_TEST(outside.header("Content-Range") == "bytes */5000");

  const auto cached =
      anonymous().send(http::verb::get, "/firmware/fw-1", {}, {{"If-None-Match", etag}});
  BOOST_TEST(cached.status == 304);
  BOOST_TEST(cached.body.empty());
  // A Range for an image that changed meanwhile (If-Range no longer matching) gets the whole image.
  const auto changed = anonymous().send(http::verb::get, "/firmware/fw-1", {},
                                        {{"Range", "bytes=4000-"}, {"If-Range", "\"old\""}});
  BOOST_TEST(changed.status == 200);
  BOOST_TEST(changed.body.size() == 5000u);
}

BOOST_AUTO_TEST_CASE(unknown_packages_and_missing_images_are_404) {
  import_small_fleet();
  BOOST_TEST(anonymous().get("/firmware/nothing").status == 404);
  BOOST_TEST(anonymous().get("/firmware/fw-2").status == 404);
}

BOOST_AUTO_TEST_CASE(a_new_package_needs_a_version_and_uploads_need_the_token) {
  const auto c = client();
  const auto r = c.send(http::verb::put, "/firmware/fw-new", "abc",
                        {{"Content-Type", "application/octet-stream"}});
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.json().at("path") == "query.version");
  BOOST_TEST(c.send(http::verb::put, "/firmware/fw-new?version=0.1", "abc",
                    {{"Content-Type", "application/octet-stream"}})
                 .status == 200);
  BOOST_TEST(c.get("/api/v1/packages").json().at("items")[0].at("id") == "fw-new");
  BOOST_TEST(anonymous().send(http::verb::put, "/firmware/fw-new?version=0.2", "abc").status ==
             401);
  // Images have their own limit, above the JSON one.
  const std::string big(config().max_firmware_bytes + 1, 'x');
  BOOST_TEST(c.send(http::verb::put, "/firmware/fw-new", big,
                    {{"Content-Type", "application/octet-stream"}})
                 .status == 413);
}

BOOST_AUTO_TEST_CASE(an_image_survives_a_fleet_reimport_of_the_same_version) {
  import_small_fleet();
  BOOST_REQUIRE_EQUAL(client().send(http::verb::put, "/firmware/fw-1", image()).status, 200);
  import_small_fleet();
  BOOST_TEST(anonymous().get("/firmware/fw-1").body == image());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
