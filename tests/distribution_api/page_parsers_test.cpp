// The list pages read by simdjson are read as nlohmann's parser reads them: the same
// records from the pages it takes, and every page it does not take (every malformed one
// among them) left to nlohmann's, so that the errors are nlohmann's too.
#define BOOST_TEST_MODULE distribution_api page parsers
#include "distribution_api/page_parsers.hpp"

#include <boost/test/unit_test.hpp>
#include <random>
#include <string>
#include <vector>

#include "distribution_api/json.hpp"
#include "domain/time.hpp"

using namespace headroom::distribution_api;
using headroom::domain::instant;

namespace {

/// Text simdjson takes: no escapes needed, some of it beyond ASCII.
std::string plain_text(std::mt19937_64& rng) {
  static const std::vector<std::string> pieces{"a", "Z", "-", "/", "\x7f", "é", "日本", " ", "7"};
  std::string out;
  for (auto n = 1 + rng() % 10; n > 0; --n) out += pieces[rng() % pieces.size()];
  return out;
}

instant random_time(std::mt19937_64& rng) { return static_cast<instant>(rng() % 4'000'000'000); }

job_record random_job(std::mt19937_64& rng) {
  job_record j;
  j.id = plain_text(rng);
  j.device = plain_text(rng);
  j.package = plain_text(rng);
  j.start = random_time(rng);
  j.duration_s = static_cast<std::int64_t>(rng() % 100'000);
  if (rng() % 2) j.deadline = random_time(rng);
  j.priority = static_cast<std::int32_t>(rng() % 2001) - 1000;
  j.status = static_cast<job_status>(rng() % 5);
  j.version = static_cast<std::int64_t>(rng() % 1'000'000);
  j.updated_at = random_time(rng);
  j.change_seq = static_cast<std::int64_t>(rng() >> 1);
  return j;
}

device_record random_device(std::mt19937_64& rng) {
  device_record d;
  d.id = plain_text(rng);
  d.customer = plain_text(rng);
  d.model = plain_text(rng);
  d.mode = rng() % 2 ? headroom::domain::monitoring_mode::proxy
                     : headroom::domain::monitoring_mode::direct;
  for (auto n = rng() % 4; n > 0; --n) d.proxies.push_back(plain_text(rng));
  return d;
}

service_record random_service(std::mt19937_64& rng) {
  service_record s;
  if (rng() % 2) s.device = plain_text(rng);
  if (!s.device || rng() % 2) s.customer = plain_text(rng);
  s.service = plain_text(rng);
  s.first_start = random_time(rng);
  s.every_s = 1 + static_cast<std::int64_t>(rng() % 1'000'000);
  s.duration_s = static_cast<std::int64_t>(rng() % 100'000);
  return s;
}

template <class T>
std::string page_of_items(const std::vector<T>& items, std::string (*write)(const T&),
                          const std::optional<std::string>& cursor) {
  std::vector<std::string> written;
  written.reserve(items.size());
  for (const auto& item : items) written.push_back(write(item));
  return write_page(written, cursor);
}

/// Both parsers read BODY alike: the same page, or the same error.
template <class T>
void read_alike(const std::string& body,
                headroom::domain::expected<page_of<T>> (*read)(std::string_view),
                headroom::domain::expected<page_of<T>> (*read_by_nlohmann)(std::string_view)) {
  const auto fast = read(body);
  const auto dom = read_by_nlohmann(body);
  BOOST_TEST_CONTEXT("page: " << body) {
    BOOST_REQUIRE_EQUAL(fast.has_value(), dom.has_value());
    if (dom) {
      BOOST_TEST((fast->items == dom->items));
      BOOST_TEST((fast->next_cursor == dom->next_cursor));
    } else {
      BOOST_TEST(fast.failure().where == dom.failure().where);
      BOOST_TEST(fast.failure().what == dom.failure().what);
    }
  }
}

void all_read_alike(const std::string& body) {
  read_alike<job_record>(body, read_jobs_page, nlohmann_jobs_page);
  read_alike<device_record>(body, read_devices_page, nlohmann_devices_page);
  read_alike<service_record>(body, read_services_page, nlohmann_services_page);
  read_alike<package_record>(body, read_packages_page, nlohmann_packages_page);
}

const char* job_j1 =
    R"({"id":"j1","device":"d1","package":"fw-1","start":"2026-12-01T10:00:00Z","duration_s":600,)"
    R"("deadline":null,"priority":0,"status":"scheduled","version":3,"updated_at":"2026-11-30T12:00:00Z"})";

std::string jobs_page(const std::string& item) {
  return std::string(R"({"items":[)") + job_j1 + "," + item + R"(],"next_cursor":"c1"})";
}

/// job_j1 with FIELD's value written as VALUE.
std::string job_with(const std::string& field, const std::string& value) {
  std::string item = job_j1;
  const auto key = "\"" + field + "\":";
  const auto at = item.find(key);
  if (at == std::string::npos) return item.substr(0, item.size() - 1) + "," + key + value + "}";
  const auto from = at + key.size();
  const auto to = item.find_first_of(",}", item[from] == '"' ? item.find('"', from + 1) : from);
  return item.replace(from, to - from, value);
}

}  // namespace

BOOST_AUTO_TEST_CASE(simdjson_reads_written_pages_as_nlohmann_does) {
  std::mt19937_64 rng(29);
  for (int round = 0; round < 200; ++round) {
    std::vector<job_record> jobs;
    std::vector<device_record> devices;
    std::vector<service_record> services;
    for (auto n = rng() % 20; n > 0; --n) {
      jobs.push_back(random_job(rng));
      devices.push_back(random_device(rng));
      services.push_back(random_service(rng));
    }
    std::optional<std::string> cursor;
    if (rng() % 2) cursor = plain_text(rng);
    const auto job_page = page_of_items<job_record>(jobs, write_job, cursor);
    const auto device_page = page_of_items<device_record>(devices, write_device, cursor);
    const auto service_page = page_of_items<service_record>(services, write_service, cursor);
    // Taken by simdjson, not handed on: these are the pages a detector reads.
    const auto fast_jobs = simdjson_jobs_page(job_page);
    BOOST_REQUIRE(fast_jobs);
    BOOST_TEST((fast_jobs->items == jobs));
    BOOST_TEST((fast_jobs->next_cursor == cursor));
    const auto fast_devices = simdjson_devices_page(device_page);
    BOOST_REQUIRE(fast_devices);
    BOOST_TEST((fast_devices->items == devices));
    const auto fast_services = simdjson_services_page(service_page);
    BOOST_REQUIRE(fast_services);
    BOOST_TEST((fast_services->items == services));
    read_alike<job_record>(job_page, read_jobs_page, nlohmann_jobs_page);
    read_alike<device_record>(device_page, read_devices_page, nlohmann_devices_page);
    read_alike<service_record>(service_page, read_services_page, nlohmann_services_page);
  }
  const auto packages = R"({"items":[{"id":"fw-1","version":"1.0","size_bytes":10,"sha256":null,)"
                        R"("firmware":null}],"next_cursor":null})";
  BOOST_TEST(simdjson_packages_page(packages).has_value());
  read_alike<package_record>(packages, read_packages_page, nlohmann_packages_page);
}

// Where the two parsers could part, simdjson hands the page on.
BOOST_AUTO_TEST_CASE(pages_where_the_parsers_could_part_read_alike) {
  const std::vector<std::string> values{"-0",
                                        "1.0",
                                        "1e2",
                                        "-1",
                                        "9223372036854775807",
                                        "9223372036854775808",
                                        "-9223372036854775808",
                                        "-9223372036854775809",
                                        "18446744073709551616",
                                        "1e999",
                                        "null",
                                        "true",
                                        "\"x\"",
                                        "[]",
                                        "{}",
                                        "\"2026-12-01T10:00:00Z\"",
                                        "\"2026-12-01T10:00:00+01:00\"",
                                        "\"\"",
                                        "\"a\\u00e9\"",
                                        "\"\\ud800\"",
                                        "\"\\udc00\"",
                                        "\"a\\\"b\"",
                                        "\"\t\"",
                                        "01"};
  for (const char* field : {"id", "start", "duration_s", "deadline", "priority", "status",
                            "version", "change_seq", "extra"})
    for (const auto& value : values) all_read_alike(jobs_page(job_with(field, value)));

  std::string deep_extra;
  for (int depth : {10, 20, 62, 63, 64, 70}) {
    deep_extra = std::string(static_cast<std::size_t>(depth), '[') +
                 std::string(static_cast<std::size_t>(depth), ']');
    all_read_alike(jobs_page(job_with("extra", deep_extra)));
  }
  std::string many_fields = job_j1;
  many_fields.pop_back();
  for (int i = 0; i < 40; ++i)
    many_fields += ",\"x" + std::to_string(i) + "\":" + std::to_string(i);
  all_read_alike(jobs_page(many_fields + "}"));

  for (
      const auto& body : {
          std::string(R"({"items":[],"next_cursor":""})"),
          std::string(R"({"items":[],"next_cursor":7})"),
          std::string(R"({"items":[],"items":[)") + job_j1 + "]}",
          std::string(R"({"items":null})"),
          std::string(R"({"items":{}})"),
          std::string(R"([])"),
          std::string("\xEF\xBB\xBF") + R"({"items":[]})",
          std::string(R"({"items":[]} x)"),
          std::string(R"({"items":[]}{})"),
          std::string(" \n{\"items\":[]}\r\n"),
          std::string(""),
          std::string(R"({"items":[1]})"),
          std::string(R"({"items":["x"]})"),
          std::string("{\"items\":[],\"x\":\"\xff\"}"),
          std::string("{\"items\":[],\"x\":\"\xed\xa0\x80\"}"),
          std::string("{\"items\":[],\"x\":\"a\0b\"}", 22),
          std::string(
              R"({"items":[{"id":"d","customer":"c","model":"m","monitoring_mode":"cloud"}]})"),
          std::string(
              R"({"items":[{"id":"d","customer":"c","model":"m","monitoring_mode":"proxy","proxies":["a",7]}]})"),
          std::string(
              R"({"items":[{"id":"d","customer":"c","model":"m","monitoring_mode":"proxy","proxies":null}]})"),
          std::string(
              R"({"items":[{"service":"s","first_start":"2026-12-01T00:00:00Z","every_s":0,"duration_s":1,"device":"d"}]})"),
          std::string(
              R"({"items":[{"service":"s","first_start":"2026-12-01T00:00:00Z","every_s":1,"duration_s":1}]})"),
          std::string(R"({"items":[{"id":"p","version":"1","size_bytes":-1}]})"),
      })
    all_read_alike(body);
}

// Random damage to a page the detector reads: whatever either parser makes of it, both
// make the same.
BOOST_AUTO_TEST_CASE(damaged_pages_read_alike) {
  std::mt19937_64 rng(31);
  std::vector<job_record> jobs;
  std::vector<device_record> devices;
  std::vector<service_record> services;
  for (int i = 0; i < 3; ++i) {
    jobs.push_back(random_job(rng));
    devices.push_back(random_device(rng));
    services.push_back(random_service(rng));
  }
  const std::vector<std::string> pages{page_of_items<job_record>(jobs, write_job, "c"),
                                       page_of_items<device_record>(devices, write_device, {}),
                                       page_of_items<service_record>(services, write_service, {})};
  static const std::string bytes = "{}[],:\"\\0123456789-+.eEnultrfas \t\n\x80\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string body = pages[rng() % pages.size()];
    for (auto n = 1 + rng() % 3; n > 0; --n) {
      const auto at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body[at] = bytes[rng() % bytes.size()];
          break;
        case 1:
          body.erase(at, 1 + rng() % 8);
          break;
        default:
          body.insert(at, 1, bytes[rng() % bytes.size()]);
      }
      if (body.empty()) break;
    }
    all_read_alike(body);
  }
}
