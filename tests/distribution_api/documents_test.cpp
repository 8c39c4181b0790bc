// The documents the reference server writes and reads with the same code as the detector:
// what one side writes, the other reads back as the same records; requests are read
// strictly and answers leniently.
#define BOOST_TEST_MODULE distribution api documents
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "distribution_api/json.hpp"
#include "domain/time.hpp"

using namespace headroom::distribution_api;
using headroom::domain::instant;
using nlohmann::json;

namespace {

instant t(const char* text) { return *headroom::domain::parse_rfc3339(text); }

template <class T>
headroom::domain::error error_of(const headroom::domain::expected<T>& r) {
  BOOST_REQUIRE(!r);
  return r.failure();
}

job_record job_j1() {
  job_record j;
  j.id = "j1";
  j.device = "d1";
  j.package = "fw-1";
  j.start = t("2026-12-01T10:00:00Z");
  j.duration_s = 600;
  j.deadline = t("2026-12-01T20:00:00Z");
  j.priority = -3;
  j.status = job_status::running;
  j.version = 4;
  j.updated_at = t("2026-11-30T12:00:00Z");
  return j;
}

const char* notification_body =
    R"({"detector":"det-1","proxy":"px-a","sent_at":"2026-11-30T12:00:00Z",)"
    R"("windows":[{"start":"2026-12-01T10:00:00Z","end":"2026-12-01T10:15:00Z",)"
    R"("peak":3,"threshold":2,"jobs":["j1","j2"]}]})";

}  // namespace

BOOST_AUTO_TEST_CASE(a_written_page_is_read_back_as_the_same_records) {
  customer_record c{"acme", {"software_distribution"}, "Europe/Berlin", {{120, 300}, {1380, 60}}};
  auto customers = read_customers_page(write_page({write_customer(c)}, "djE6MA"));
  BOOST_REQUIRE(customers);
  BOOST_TEST((customers->items == std::vector<customer_record>{c}));
  BOOST_TEST(customers->next_cursor.value() == "djE6MA");

  device_record d{
      "d1", "acme", "mfp-x", headroom::domain::monitoring_mode::proxy, {"px-a", "px-b"}};
  device_record direct{"d5", "acme", "mfp-x", headroom::domain::monitoring_mode::direct, {}};
  auto devices = read_devices_page(write_page({write_device(d), write_device(direct)}, {}));
  BOOST_REQUIRE(devices);
  BOOST_TEST((devices->items == std::vector<device_record>{d, direct}));
  BOOST_TEST(!devices->next_cursor);

  package_record p{"fw-1", "1.0.0", 1000};
  auto packages = read_packages_page(
      write_page({write_package(p, std::nullopt), write_package(p, "ab12")}, {}));
  BOOST_REQUIRE(packages);
  BOOST_TEST((packages->items == std::vector<package_record>{p, p}));

  service_record by_device{"d4", std::nullopt, "status_monitoring", t("2026-12-01T00:30:00Z"), 7200,
                           30};
  service_record by_customer{
      std::nullopt, "globex", "counter_collection", t("2026-12-01T00:00:00Z"), 3600, 60};
  auto services =
      read_services_page(write_page({write_service(by_device), write_service(by_customer)}, {}));
  BOOST_REQUIRE(services);
  BOOST_TEST((services->items == std::vector<service_record>{by_device, by_customer}));

  auto without_deadline = job_j1();
  without_deadline.deadline.reset();
  without_deadline.status = job_status::cancelled;
  auto jobs = read_jobs_page(write_page({write_job(job_j1()), write_job(without_deadline)}, {}));
  BOOST_REQUIRE(jobs);
  BOOST_TEST((jobs->items == std::vector<job_record>{job_j1(), without_deadline}));
}

BOOST_AUTO_TEST_CASE(a_page_is_the_text_nlohmann_writes_for_it) {
  const auto item = write_job(job_j1());
  BOOST_TEST(
      write_page({item, item}, "djE6MQ") ==
      json({{"items", {json::parse(item), json::parse(item)}}, {"next_cursor", "djE6MQ"}}).dump());
  BOOST_TEST(write_page({}, {}) == R"({"items":[],"next_cursor":null})");
}

BOOST_AUTO_TEST_CASE(a_package_names_its_image_only_once_uploaded) {
  const auto none = json::parse(write_package({"fw-1", "1.0.0", 1000}, std::nullopt));
  BOOST_TEST(none.at("sha256").is_null());
  BOOST_TEST(none.at("firmware").is_null());
  const auto hosted = json::parse(write_package({"fw-1", "1.0.0", 1000}, "ab12"));
  BOOST_TEST(hosted.at("sha256") == "ab12");
  BOOST_TEST(hosted.at("firmware") == "/firmware/fw-1");
}

BOOST_AUTO_TEST_CASE(answers_are_read_leniently_and_requests_strictly) {
  // The detector ignores what it does not know in an answer...
  auto page = read_jobs_page(R"({"items":[],"next_cursor":null,"total":0})");
  BOOST_TEST(page.has_value());
  // ...while the server refuses it in a request, and empty strings with it.
  auto unknown = json::parse(notification_body);
  unknown["colour"] = "red";
  BOOST_TEST(error_of(read_notification(unknown.dump())).where == "colour");
  BOOST_TEST(error_of(read_notification(unknown.dump())).what == "unknown field");
  auto empty = json::parse(notification_body);
  empty["windows"][0]["jobs"] = {""};
  BOOST_TEST(error_of(read_notification(empty.dump())).where == "windows[0].jobs[0]");
  // A strict reader names no path for the document itself; a lenient one names it `$`.
  BOOST_TEST(error_of(read_notification("[1]")).where.empty());
  BOOST_TEST(error_of(read_notification("[1]")).what == "expected an object, got an array");
  BOOST_TEST(error_of(read_jobs_page("[1]")).where == "$");
  BOOST_TEST(error_of(read_notification(R"({"detector":)")).what == "malformed JSON at byte 13");
}

BOOST_AUTO_TEST_CASE(a_written_notification_is_read_back) {
  auto n = read_notification(notification_body);
  BOOST_REQUIRE(n);
  auto again = read_notification(write_notification(*n));
  BOOST_REQUIRE(again);
  BOOST_TEST((*again == *n));
  n->suggested_moves = {{"j2", n->windows[0].start, n->windows[0].end, 1}};
  again = read_notification(write_notification(*n));
  BOOST_REQUIRE(again);
  BOOST_TEST((*again == *n));
}

BOOST_AUTO_TEST_CASE(a_notification_is_validated_where_it_is_wrong) {
  auto without_sent_at = json::parse(notification_body);
  without_sent_at.erase("sent_at");
  auto read = read_notification(without_sent_at.dump());
  BOOST_REQUIRE(read);
  BOOST_TEST(read->sent_at == 0);
  auto flat = json::parse(notification_body);
  flat["windows"][0]["peak"] = 2;
  BOOST_TEST(error_of(read_notification(flat.dump())).where == "windows[0].peak");
  auto backwards = json::parse(notification_body);
  backwards["windows"][0]["end"] = "2026-12-01T09:00:00Z";
  BOOST_TEST(error_of(read_notification(backwards.dump())).what == "must be after start");
  auto no_moves = json::parse(notification_body);
  no_moves["suggested_adjustment"] = {{"moves", json::array()}};
  BOOST_TEST(error_of(read_notification(no_moves.dump())).where == "suggested_adjustment.moves");
}

BOOST_AUTO_TEST_CASE(a_written_adjustment_is_read_back_without_its_proxy) {
  adjustment_record a{
      "det-1", "px-a", {{"j3", t("2026-12-01T10:05:00Z"), t("2026-12-01T10:15:00Z"), 4}}};
  auto read = read_adjustment(write_adjustment(a));
  BOOST_REQUIRE(read);
  BOOST_TEST(read->source == "det-1");
  BOOST_TEST(read->proxy.empty());
  BOOST_TEST((read->moves == a.moves));
  auto anonymous = read_adjustment(R"({"moves":[{"job":"j3","from":"2026-12-01T10:05:00Z",)"
                                   R"("to":"2026-12-01T10:15:00Z","version":4}]})");
  BOOST_REQUIRE(anonymous);
  BOOST_TEST(anonymous->source.empty());
  BOOST_TEST(error_of(read_adjustment(R"({"moves":[]})")).where == "moves");
  BOOST_TEST(error_of(read_adjustment(R"({"source":"","moves":[]})")).what == "must not be empty");
}

BOOST_AUTO_TEST_CASE(a_written_adjustment_answer_is_read_back_in_request_order) {
  const adjustment_outcome o{
      {{"j3", true, 200, "", t("2026-12-01T10:05:00Z"), t("2026-12-01T10:15:00Z"), 5},
       {"j1", false, 409, "job 'j1' is at version 2, not 1: it was changed meanwhile"},
       {"zz", false, 404, "no job 'zz'"}}};
  const auto text = write_adjustment_answer(7, t("2026-11-30T12:00:00Z"), o);
  auto read = read_adjustment_answer(text);
  BOOST_REQUIRE(read);
  BOOST_TEST((*read == o));
  BOOST_TEST(read->applied() == 1u);
  const auto doc = json::parse(text);
  BOOST_TEST(doc.at("id") == 7);
  BOOST_TEST(doc.at("received_at") == "2026-11-30T12:00:00Z");
  BOOST_TEST(doc.at("applied") == 1);
  BOOST_TEST(doc.at("refused") == 2);
  BOOST_TEST(
      doc.at("results")[1].at("problem") ==
      json::parse(R"({"type":"/problems/conflict","title":"Conflict","status":409,)"
                  R"("detail":"job 'j1' is at version 2, not 1: it was changed meanwhile"})"));
  BOOST_TEST(doc.at("results")[2].at("problem").at("type") == "/problems/not-found");
}

BOOST_AUTO_TEST_CASE(a_written_topology_and_its_answer_are_read_back) {
  topology_record topo;
  topo.proxies = {{"px-a", 4, 2, {"d1", "d2"}}, {"px-b", 3, 3, {}}};
  auto read = read_topology(write_topology(topo));
  BOOST_REQUIRE(read);
  BOOST_TEST((*read == topo));
  auto twice = topo;
  twice.proxies = {topo.proxies[0], topo.proxies[0]};
  BOOST_TEST(error_of(read_topology(write_topology(twice))).where == "proxies[1].id");
  auto over = topo;
  over.proxies[0].threshold = 5;
  BOOST_TEST(error_of(read_topology(write_topology(over))).what == "must be from 1 to 4, got 5");

  auto unknown = read_topology_answer(write_topology_answer(2, {"zz"}));
  BOOST_REQUIRE(unknown);
  BOOST_TEST((*unknown == std::vector<std::string>{"zz"}));
  BOOST_TEST(json::parse(write_topology_answer(2, {"zz"})).at("proxies") == 2);
}

BOOST_AUTO_TEST_CASE(a_new_job_takes_the_defaults_and_a_change_keeps_what_it_does_not_name) {
  auto job = read_new_job(
      R"({"id":"j9","device":"d1","package":"fw-1","start":"2026-12-01T10:00:00+01:00","duration_s":60})");
  BOOST_REQUIRE(job);
  BOOST_TEST(job->start == t("2026-12-01T09:00:00Z"));
  BOOST_TEST(!job->deadline);
  BOOST_TEST(job->priority == 0);
  BOOST_TEST((job->status == job_status::scheduled));
  BOOST_TEST(error_of(read_new_job(R"({"id":"j9","device":"d1","package":"fw-1",)"
                                   R"("start":"2026-12-01T10:00:00Z","duration_s":600,)"
                                   R"("deadline":"2026-12-01T10:05:00Z"})"))
                 .where == "deadline");

  auto keep = read_job_patch(R"({"version":3,"priority":2})");
  BOOST_REQUIRE(keep);
  BOOST_TEST(keep->expected_version == 3);
  BOOST_TEST(!keep->deadline);
  BOOST_TEST(keep->priority.value() == 2);
  auto clear = read_job_patch(R"({"version":3,"deadline":null,"status":"done"})");
  BOOST_REQUIRE(clear);
  BOOST_REQUIRE(clear->deadline.has_value());  // named, as null: cleared
  BOOST_TEST(!clear->deadline->has_value());
  BOOST_TEST((clear->status == job_status::done));
  BOOST_TEST(error_of(read_job_patch(R"({"version":3,"status":"lost"})")).where == "status");
}

BOOST_AUTO_TEST_CASE(a_written_problem_is_read_back_and_names_a_path_only_when_there_is_one) {
  problem_record p{"/problems/invalid-request", "Invalid request", 400, "must be after start",
                   "windows[0].end"};
  auto read = read_problem(write_problem(p));
  BOOST_REQUIRE(read);
  BOOST_TEST(read->path == "windows[0].end");
  BOOST_TEST(read->detail == "must be after start");
  p.path.clear();
  BOOST_TEST(!json::parse(write_problem(p)).contains("path"));
}

BOOST_AUTO_TEST_CASE(retries_are_compared_without_whitespace_or_key_order) {
  auto a = canonical_json(R"({ "b": 1,  "a": [1, 2] })");
  auto b = canonical_json(R"({"a":[1,2],"b":1})");
  BOOST_REQUIRE(a);
  BOOST_REQUIRE(b);
  BOOST_TEST(*a == *b);
  BOOST_TEST(error_of(canonical_json(R"({"a":)")).what == "malformed JSON at byte 6");
}

// The server parses a posted event once, for the text its retries are compared by and for
// the record: what canonical_json and the reader give apart, errors included.
BOOST_AUTO_TEST_CASE(one_parse_gives_the_canonical_text_and_the_record) {
  auto spaced = json::parse(notification_body).dump(2);
  auto both = read_canonical_notification(spaced);
  BOOST_REQUIRE(both);
  BOOST_TEST(both->text == *canonical_json(spaced));
  BOOST_REQUIRE(both->record);
  BOOST_TEST((*both->record == *read_notification(notification_body)));
  auto unknown = json::parse(notification_body);
  unknown["colour"] = "red";
  both = read_canonical_notification(unknown.dump());
  BOOST_REQUIRE(both);                                   // JSON, so it has a canonical text...
  BOOST_TEST(error_of(both->record).where == "colour");  // ...but it is no notification
  BOOST_TEST(error_of(read_canonical_adjustment(R"({"a":)")).what == "malformed JSON at byte 6");
  const auto no_moves = read_canonical_adjustment(R"({"source":"d","moves":[]})");
  BOOST_REQUIRE(no_moves);
  BOOST_TEST(error_of(no_moves->record).what ==
             error_of(read_adjustment(R"({"source":"d","moves":[]})")).what);
}

// Found by fuzz_json: a number too large for a double threw out of every reader.
BOOST_AUTO_TEST_CASE(numbers_out_of_range_are_malformed_json) {
  const auto why = error_of(read_adjustment(R"({"source":"d","moves":[{"version":1e999}]})")).what;
  BOOST_TEST(why.find("malformed JSON: ") == 0u, why);
  BOOST_TEST(why.find("1e999") != std::string::npos, why);
  BOOST_TEST(!canonical_json("[1e999]").has_value());
}

// A million brackets used to overflow the stack when the body was written again.
BOOST_AUTO_TEST_CASE(documents_nested_too_deep_are_refused_not_recursed_into) {
  const std::size_t n = 1'000'000;
  const auto deep = std::string(n, '[') + std::string(n, ']');
  BOOST_TEST(error_of(canonical_json(deep)).what == "JSON nested deeper than 64 levels");
  BOOST_TEST(error_of(read_notification(deep)).what == "JSON nested deeper than 64 levels");
  const auto nested = [](int levels) {
    return std::string(levels, '[') + std::string(levels, ']');
  };
  BOOST_TEST(canonical_json(nested(64)).has_value());
  BOOST_TEST(!canonical_json(nested(65)).has_value());
}

// A document well within the limit is read by the plain parser, one near it by the parser
// that counts depth: both refuse a malformation at the same byte, and brackets in strings
// are text, not nesting.
BOOST_AUTO_TEST_CASE(documents_near_the_depth_limit_read_as_those_well_within_it) {
  const auto broken = [](int levels) {
    return std::string(static_cast<std::size_t>(levels), '[') + "1,}" +
           std::string(static_cast<std::size_t>(levels), ']');
  };
  for (int levels : {1, 10, 61, 62, 63})
    BOOST_TEST(error_of(canonical_json(broken(levels))).what ==
                   "malformed JSON at byte " + std::to_string(levels + 3),
               "levels " << levels);
  const auto quoted = "[\"" + std::string(100, '[') + "\\\"" + std::string(100, '{') + "\"]";
  BOOST_TEST(canonical_json(quoted).has_value());
}
