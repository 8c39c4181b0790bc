// libFuzzer target for the distribution API's JSON documents (`make fuzz`;
// docs/fuzzing.md): every reader gets every input, the requests the reference server reads
// from clients and the answers the detector reads from a distribution system. Corpus:
// tests/distribution_api/corpus/json. Besides "no crash, no exception" it checks that what
// reads is written to a document that reads back to the same record, and that simdjson
// reads every list page as nlohmann's parser does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "distribution_api/json.hpp"
#include "distribution_api/page_parsers.hpp"
#include "tests/support/fuzz_check.hpp"

namespace {

using headroom::test::fuzz_require;
namespace api = headroom::distribution_api;

/// A record READ from BODY, written with WRITE, reads back the same.
template <class Read, class Write>
void round_trip(std::string_view body, Read read, Write write, const char* property) {
  auto first = read(body);
  if (!first) {
    fuzz_require(!first.failure().message().empty(), "a refused document says why");
    return;
  }
  auto again = read(write(*first));
  fuzz_require(again.has_value() && *again == *first, property);
}

/// A list answer read from BODY, written item by item, reads back the same.
template <class Read, class Write>
void page_round_trip(std::string_view body, Read read, Write write) {
  auto page = read(body);
  if (!page) return;
  std::vector<std::string> items;
  for (const auto& item : page->items) items.push_back(write(item));
  auto again = read(api::write_page(items, page->next_cursor));
  fuzz_require(
      again.has_value() && again->items == page->items && again->next_cursor == page->next_cursor,
      "a list page reads back as written");
}

/// simdjson reads BODY as nlohmann's parser does: the same page or the same error.
template <class T>
void parsers_agree(
    std::string_view body, headroom::domain::expected<api::page_of<T>> (*read)(std::string_view),
    headroom::domain::expected<api::page_of<T>> (*read_by_nlohmann)(std::string_view)) {
  const auto fast = read(body);
  const auto dom = read_by_nlohmann(body);
  fuzz_require(fast.has_value() == dom.has_value(), "both parsers take or refuse a page");
  if (dom)
    fuzz_require(fast->items == dom->items && fast->next_cursor == dom->next_cursor,
                 "both parsers read a page alike");
  else
    fuzz_require(fast.failure().message() == dom.failure().message(),
                 "both parsers refuse a page alike");
}

/// The server's one parse of a posted event gives what canonical_json and READ give apart:
/// the same text, and the same record or the same error.
template <class T>
void one_parse_agrees(
    std::string_view body,
    headroom::domain::expected<api::canonical_record<T>> (*read_canonical)(std::string_view),
    headroom::domain::expected<T> (*read)(std::string_view)) {
  const auto both = read_canonical(body);
  const auto text = api::canonical_json(body);
  fuzz_require(both.has_value() == text.has_value(),
               "one parse takes the JSON canonical_json takes");
  if (!both) {
    fuzz_require(both.failure().message() == text.failure().message(),
                 "one parse refuses JSON as canonical_json does");
    return;
  }
  fuzz_require(both->text == *text, "one parse writes the canonical text");
  const auto record = read(body);
  fuzz_require(both->record.has_value() == record.has_value(),
               "one parse takes the record its reader takes");
  if (record)
    fuzz_require(*both->record == *record, "one parse reads the record its reader reads");
  else
    fuzz_require(both->record.failure().message() == record.failure().message(),
                 "one parse refuses the record as its reader does");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // Requests (strict), as the reference server reads them.
  (void)api::read_new_job(body);
  (void)api::read_job_patch(body);
  round_trip(body, api::read_notification, api::write_notification,
             "a notification reads back as written");
  round_trip(body, api::read_adjustment, api::write_adjustment,
             "an adjustment reads back as written");
  round_trip(body, api::read_topology, api::write_topology, "a topology reads back as written");
  one_parse_agrees(body, api::read_canonical_notification, api::read_notification);
  one_parse_agrees(body, api::read_canonical_adjustment, api::read_adjustment);
  if (auto canonical = api::canonical_json(body)) {
    auto again = api::canonical_json(*canonical);
    fuzz_require(again.has_value() && *again == *canonical, "canonical JSON is a fixed point");
  }
  // Answers (lenient), as the detector reads them.
  page_round_trip(body, api::read_customers_page, api::write_customer);
  page_round_trip(body, api::read_devices_page, api::write_device);
  page_round_trip(body, api::read_services_page, api::write_service);
  page_round_trip(body, api::read_jobs_page, api::write_job);
  page_round_trip(body, api::read_packages_page,
                  [](const api::package_record& p) { return api::write_package(p, std::nullopt); });
  parsers_agree(body, api::read_devices_page, api::nlohmann_devices_page);
  parsers_agree(body, api::read_services_page, api::nlohmann_services_page);
  parsers_agree(body, api::read_jobs_page, api::nlohmann_jobs_page);
  parsers_agree(body, api::read_packages_page, api::nlohmann_packages_page);
  (void)api::read_topology_answer(body);
  (void)api::read_adjustment_answer(body);
  (void)api::read_problem(body);
  return 0;
}
