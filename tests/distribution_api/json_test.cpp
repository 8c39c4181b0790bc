// The distribution system's answers read into records, malformed answers refused with the
// JSON path of the offending value, and request bodies written as docs/api.md shows them.
#define BOOST_TEST_MODULE distribution json
#include "distribution_api/json.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "domain/time.hpp"

using namespace headroom::distribution_api;
using headroom::domain::instant;
using nlohmann::json;

namespace {

instant t(const char* text) { return *headroom::domain::parse_rfc3339(text); }

const char* job_j1 =
    R"({"id":"j1","device":"d1","package":"fw-1","start":"2026-12-01T10:00:00Z","duration_s":600,)"
    R"("deadline":null,"priority":0,"status":"scheduled","version":3,"updated_at":"2026-11-30T12:00:00Z"})";

template <class T>
std::string where_of(const headroom::domain::expected<T>& r) {
  BOOST_REQUIRE(!r);
  return r.failure().where;
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_a_jobs_page_with_its_cursor) {
  const auto body =
      std::string(R"({"items":[)") + job_j1 +
      R"(,{"id":"j3","device":"d3","package":"fw-1","start":"2026-12-01T10:05:00+01:00","duration_s":600,)"
      R"("deadline":"2026-12-01T20:00:00Z","priority":1,"status":"cancelled","version":1,)"
      R"("updated_at":"2026-11-30T12:00:00Z","extra":"ignored"}],"next_cursor":"djE6Mg"})";
  auto page = read_jobs_page(body);
  BOOST_REQUIRE(page);
  BOOST_TEST(page->items.size() == 2u);
  BOOST_TEST(page->next_cursor.value() == "djE6Mg");
  const auto& j1 = page->items[0];
  BOOST_TEST(j1.id == "j1");
  BOOST_TEST(j1.start == t("2026-12-01T10:00:00Z"));
  BOOST_TEST(!j1.deadline);
  BOOST_TEST(j1.version == 3);
  BOOST_TEST(j1.loads_proxy());
  const auto& j3 = page->items[1];
  BOOST_TEST(j3.start == t("2026-12-01T09:05:00Z"));
  BOOST_TEST(*j3.deadline == t("2026-12-01T20:00:00Z"));
  BOOST_TEST(j3.priority == 1);
  BOOST_TEST(!j3.loads_proxy());
}

BOOST_AUTO_TEST_CASE(a_null_cursor_ends_the_list) {
  auto page = read_jobs_page(R"({"items":[],"next_cursor":null})");
  BOOST_REQUIRE(page);
  BOOST_TEST(page->items.empty());
  BOOST_TEST(!page->next_cursor);
}

BOOST_AUTO_TEST_CASE(reads_customers_devices_packages_and_services) {
  auto customers = read_customers_page(
      R"({"items":[{"id":"acme","services":["software_distribution"],"time_zone":"Europe/Berlin",)"
      R"("maintenance_windows":[{"from":"02:00","to":"05:00"}]}],"next_cursor":null})");
  BOOST_REQUIRE(customers);
  BOOST_TEST(customers->items[0].time_zone == "Europe/Berlin");
  BOOST_TEST(
      (customers->items[0].maintenance_windows == std::vector<local_window_record>{{120, 300}}));

  auto devices = read_devices_page(
      R"({"items":[{"id":"d1","customer":"acme","model":"mfp-x","monitoring_mode":"proxy","proxies":["px-a"]},)"
      R"({"id":"d5","customer":"acme","model":"mfp-x","monitoring_mode":"direct","proxies":[]}],"next_cursor":null})");
  BOOST_REQUIRE(devices);
  BOOST_TEST((devices->items[0].mode == headroom::domain::monitoring_mode::proxy));
  BOOST_TEST((devices->items[0].proxies == std::vector<std::string>{"px-a"}));
  BOOST_TEST((devices->items[1].mode == headroom::domain::monitoring_mode::direct));

  auto packages = read_packages_page(
      R"({"items":[{"id":"fw-1","version":"1.0.0","size_bytes":1000,"sha256":null,"firmware":null}],"next_cursor":null})");
  BOOST_REQUIRE(packages);
  BOOST_TEST(packages->items[0].size_bytes == 1000);

  auto services = read_services_page(
      R"({"items":[{"customer":"globex","service":"counter_collection","first_start":"2026-12-01T00:00:00Z",)"
      R"("every_s":3600,"duration_s":60},{"device":"d4","service":"status_monitoring",)"
      R"("first_start":"2026-12-01T00:30:00Z","every_s":7200,"duration_s":30}],"next_cursor":null})");
  BOOST_REQUIRE(services);
  BOOST_TEST(services->items[0].customer.value() == "globex");
  BOOST_TEST(!services->items[0].device);
  BOOST_TEST(services->items[1].device.value() == "d4");
  BOOST_TEST(services->items[1].every_s == 7200);
}

BOOST_AUTO_TEST_CASE(malformed_answers_name_the_json_path) {
  BOOST_TEST(where_of(read_jobs_page("not json")) == "$");
  BOOST_TEST(where_of(read_jobs_page("[1,2]")) == "$");
  BOOST_TEST(where_of(read_jobs_page(R"({"next_cursor":null})")) == "items");
  BOOST_TEST(where_of(read_jobs_page(R"({"items":{},"next_cursor":null})")) == "items");
  BOOST_TEST(where_of(read_jobs_page(R"({"items":[1]})")) == "items[0]");

  auto bad_start = json::parse(job_j1);
  bad_start["start"] = "yesterday";
  const auto page = [](const json& item) {
    return json{{"items", {json::parse(job_j1), item}}}.dump();
  };
  auto r = read_jobs_page(page(bad_start));
  BOOST_TEST(where_of(r) == "items[1].start");

  auto bad_status = json::parse(job_j1);
  bad_status["status"] = "lost";
  BOOST_TEST(where_of(read_jobs_page(page(bad_status))) == "items[1].status");

  auto bad_version = json::parse(job_j1);
  bad_version["version"] = 1.5;
  BOOST_TEST(where_of(read_jobs_page(page(bad_version))) == "items[1].version");

  auto missing_device = json::parse(job_j1);
  missing_device.erase("device");
  auto m = read_jobs_page(page(missing_device));
  BOOST_TEST(where_of(m) == "items[1].device");
  BOOST_TEST(m.failure().what == "missing");

  auto huge_priority = json::parse(job_j1);
  huge_priority["priority"] = 1LL << 40;
  BOOST_TEST(where_of(read_jobs_page(page(huge_priority))) == "items[1].priority");

  BOOST_TEST(
      where_of(read_customers_page(
          R"({"items":[{"id":"a","services":[],"maintenance_windows":[{"from":"25:00","to":"01:00"}]}]})")) ==
      "items[0].maintenance_windows[0].from");
  BOOST_TEST(
      where_of(read_devices_page(
          R"({"items":[{"id":"d","customer":"c","model":"m","monitoring_mode":"cloud"}]})")) ==
      "items[0].monitoring_mode");
  BOOST_TEST(
      where_of(read_services_page(
          R"({"items":[{"service":"s","first_start":"2026-12-01T00:00:00Z","every_s":1,"duration_s":1}]})")) ==
      "items[0]");
  BOOST_TEST(
      where_of(read_devices_page(
          R"({"items":[{"id":"d","customer":"c","model":"m","monitoring_mode":"proxy","proxies":["a",7]}]})")) ==
      "items[0].proxies[1]");
}

BOOST_AUTO_TEST_CASE(reads_the_topology_answer) {
  auto unknown = read_topology_answer(R"({"proxies":2,"unknown_devices":["zz"]})");
  BOOST_REQUIRE(unknown);
  BOOST_TEST((*unknown == std::vector<std::string>{"zz"}));
  BOOST_TEST(where_of(read_topology_answer(R"({"proxies":2})")) == "unknown_devices");
}

BOOST_AUTO_TEST_CASE(reads_applied_and_refused_moves_in_request_order) {
  auto outcome = read_adjustment_answer(
      R"({"id":4,"received_at":"2026-11-30T12:00:00Z","applied":1,"refused":2,"results":[)"
      R"({"job":"j3","result":"applied","from":"2026-12-01T10:05:00Z","to":"2026-12-01T10:15:00Z","version":2},)"
      R"({"job":"j1","result":"refused","problem":{"type":"/problems/conflict","title":"Conflict","status":409,)"
      R"("detail":"job 'j1' is at version 2, not 1: it was changed meanwhile"}},)"
      R"({"job":"zz","result":"refused","problem":{"type":"/problems/not-found","title":"Not found","status":404,)"
      R"("detail":"no job 'zz'"}}]})");
  BOOST_REQUIRE(outcome);
  BOOST_REQUIRE(outcome->results.size() == 3u);
  BOOST_TEST(outcome->results[0].applied);
  BOOST_TEST(outcome->results[0].status == 200);
  BOOST_TEST(!outcome->results[1].applied);
  BOOST_TEST(outcome->results[1].status == 409);
  BOOST_TEST(outcome->results[1].detail.find("changed meanwhile") != std::string::npos);
  BOOST_TEST(outcome->results[2].status == 404);

  BOOST_TEST(where_of(read_adjustment_answer(R"({"results":[{"job":"j1","result":"maybe"}]})")) ==
             "results[0].result");
  BOOST_TEST(where_of(read_adjustment_answer(R"({"results":[{"job":"j1","result":"refused"}]})")) ==
             "results[0].problem");
}

BOOST_AUTO_TEST_CASE(reads_a_problem_document_only_when_it_is_one) {
  auto p =
      read_problem(R"({"type":"/problems/invalid-request","title":"Invalid request","status":400,)"
                   R"("detail":"must be after start","path":"windows[0].end"})");
  BOOST_REQUIRE(p);
  BOOST_TEST(p->status == 400);
  BOOST_TEST(p->path == "windows[0].end");
  BOOST_TEST(!read_problem("<html>bad gateway</html>"));
}

BOOST_AUTO_TEST_CASE(writes_a_notification_with_its_suggestion_only_when_there_are_moves) {
  notification_record n;
  n.detector = "det-1";
  n.proxy = "px-a";
  n.sent_at = t("2026-11-30T12:00:00Z");
  n.windows = {{t("2026-12-01T10:00:00Z"), t("2026-12-01T10:15:00Z"), 3, 2, {"j1", "j2", "j3"}}};
  auto doc = json::parse(write_notification(n));
  BOOST_TEST(
      doc ==
      json::parse(R"({"detector":"det-1","proxy":"px-a","sent_at":"2026-11-30T12:00:00Z",)"
                  R"("windows":[{"start":"2026-12-01T10:00:00Z","end":"2026-12-01T10:15:00Z",)"
                  R"("peak":3,"threshold":2,"jobs":["j1","j2","j3"]}]})"));
  n.suggested_moves = {{"j3", t("2026-12-01T10:05:00Z"), t("2026-12-01T10:15:00Z"), 1}};
  doc = json::parse(write_notification(n));
  BOOST_TEST(
      doc["suggested_adjustment"] ==
      json::parse(
          R"({"moves":[{"job":"j3","from":"2026-12-01T10:05:00Z","to":"2026-12-01T10:15:00Z",)"
          R"("version":1}]})"));
  n.windows.clear();
  n.suggested_moves.clear();
  BOOST_TEST(json::parse(write_notification(n))["windows"] == json::array());
}

BOOST_AUTO_TEST_CASE(writes_an_adjustment_without_its_proxy_and_a_topology) {
  adjustment_record a{
      "det-1", "px-a", {{"j3", t("2026-12-01T10:05:00Z"), t("2026-12-01T10:15:00Z"), 4}}};
  BOOST_TEST(json::parse(write_adjustment(a)) ==
             json::parse(R"({"source":"det-1","moves":[{"job":"j3","from":"2026-12-01T10:05:00Z",)"
                         R"("to":"2026-12-01T10:15:00Z","version":4}]})"));
  topology_record topo;
  topo.proxies = {{"px-a", 4, 2, {"d1", "d2"}}};
  BOOST_TEST(
      json::parse(write_topology(topo)) ==
      json::parse(
          R"({"proxies":[{"id":"px-a","capacity":4,"threshold":2,"devices":["d1","d2"]}]})"));
}

namespace {

/// Random text with quotes, backslashes, every control character, DEL and UTF-8.
std::string awkward_text(std::mt19937_64& rng) {
  static const std::vector<std::string> pieces{"a", "Z",    "-", "\"",   "\\",
                                               "/", "\x7f", "é", "日本", " "};
  std::string out;
  for (auto n = rng() % 12; n > 0; --n) {
    if (rng() % 4 == 0)
      out += static_cast<char>(rng() % 0x20);
    else
      out += pieces[rng() % pieces.size()];
  }
  return out;
}

}  // namespace

// write_job, write_device, write_service, write_notification and write_adjustment write
// without a DOM: byte for byte what nlohmann's object wrote, on random records whose
// strings are awkward.
BOOST_AUTO_TEST_CASE(records_and_events_are_written_as_the_dom_wrote_them) {
  std::mt19937_64 rng(13);
  const std::vector<job_status> statuses{job_status::scheduled, job_status::running,
                                         job_status::done, job_status::failed,
                                         job_status::cancelled};
  const auto time = [](instant at) { return headroom::domain::format_utc(at); };
  for (int i = 0; i < 2000; ++i) {
    job_record j;
    j.id = awkward_text(rng);
    j.device = awkward_text(rng);
    j.package = awkward_text(rng);
    j.start = static_cast<instant>(rng() % 4'000'000'000);
    j.duration_s = static_cast<std::int64_t>(rng() % 100'000);
    if (rng() % 2) j.deadline = static_cast<instant>(rng() % 4'000'000'000);
    j.priority = static_cast<std::int32_t>(rng() % 2001) - 1000;
    j.status = statuses[rng() % statuses.size()];
    j.version = static_cast<std::int64_t>(rng() % 1'000'000);
    j.updated_at = static_cast<instant>(rng() % 4'000'000'000);
    j.change_seq = static_cast<std::int64_t>(rng());
    BOOST_TEST(
        write_job(j) == json({{"id", j.id},
                              {"device", j.device},
                              {"package", j.package},
                              {"start", time(j.start)},
                              {"duration_s", j.duration_s},
                              {"deadline", j.deadline ? json(time(*j.deadline)) : json(nullptr)},
                              {"priority", j.priority},
                              {"status", to_string(j.status)},
                              {"version", j.version},
                              {"updated_at", time(j.updated_at)},
                              {"change_seq", j.change_seq}})
                            .dump(),
        "job " << i);
    device_record d;
    d.id = awkward_text(rng);
    d.customer = awkward_text(rng);
    d.model = awkward_text(rng);
    d.mode = rng() % 2 ? headroom::domain::monitoring_mode::proxy
                       : headroom::domain::monitoring_mode::direct;
    for (auto n = rng() % 4; n > 0; --n) d.proxies.push_back(awkward_text(rng));
    BOOST_TEST(write_device(d) == json({{"id", d.id},
                                        {"customer", d.customer},
                                        {"model", d.model},
                                        {"monitoring_mode", headroom::domain::to_string(d.mode)},
                                        {"proxies", d.proxies}})
                                      .dump(),
               "device " << i);
    service_record v;
    if (rng() % 2) v.device = awkward_text(rng);
    if (rng() % 2) v.customer = awkward_text(rng);
    v.service = awkward_text(rng);
    v.first_start = static_cast<instant>(rng() % 4'000'000'000);
    v.every_s = static_cast<std::int64_t>(rng() % 1'000'000);
    v.duration_s = static_cast<std::int64_t>(rng() % 100'000);
    json expected = json::object();
    if (v.device) expected["device"] = *v.device;
    if (v.customer) expected["customer"] = *v.customer;
    expected["service"] = v.service;
    expected["first_start"] = time(v.first_start);
    expected["every_s"] = v.every_s;
    expected["duration_s"] = v.duration_s;
    BOOST_TEST(write_service(v) == expected.dump(), "service " << i);

    notification_record n;
    n.detector = awkward_text(rng);
    n.proxy = awkward_text(rng);
    n.sent_at = static_cast<instant>(rng() % 4'000'000'000);
    json windows = json::array();
    for (auto k = rng() % 3; k > 0; --k) {
      window_record w;
      w.start = static_cast<instant>(rng() % 4'000'000'000);
      w.end = w.start + 1 + static_cast<instant>(rng() % 100'000);
      w.threshold = static_cast<std::int32_t>(rng() % 100);
      w.peak = w.threshold + 1 + static_cast<std::int32_t>(rng() % 100);
      for (auto m = rng() % 4; m > 0; --m) w.jobs.push_back(awkward_text(rng));
      windows.push_back({{"start", time(w.start)},
                         {"end", time(w.end)},
                         {"peak", w.peak},
                         {"threshold", w.threshold},
                         {"jobs", w.jobs}});
      n.windows.push_back(std::move(w));
    }
    json moves = json::array();
    for (auto k = rng() % 3; k > 0; --k) {
      move_record m{awkward_text(rng), static_cast<instant>(rng() % 4'000'000'000),
                    static_cast<instant>(rng() % 4'000'000'000),
                    static_cast<std::int64_t>(rng() % 1'000'000)};
      moves.push_back(
          {{"job", m.job}, {"from", time(m.from)}, {"to", time(m.to)}, {"version", m.version}});
      n.suggested_moves.push_back(std::move(m));
    }
    json note{{"detector", n.detector},
              {"proxy", n.proxy},
              {"sent_at", time(n.sent_at)},
              {"windows", windows}};
    if (!moves.empty()) note["suggested_adjustment"] = {{"moves", moves}};
    BOOST_TEST(write_notification(n) == note.dump(), "notification " << i);
    const adjustment_record a{awkward_text(rng), n.proxy, n.suggested_moves};
    BOOST_TEST(write_adjustment(a) == json({{"source", a.source}, {"moves", moves}}).dump(),
               "adjustment " << i);
  }
}
