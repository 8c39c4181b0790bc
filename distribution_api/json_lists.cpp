// The list answers: customers, devices, packages, services and jobs, page by page.
#include <nlohmann/json.hpp>

#include "distribution_api/field_reader.hpp"
#include "distribution_api/json.hpp"
#include "distribution_api/json_text.hpp"
#include "distribution_api/list_items.hpp"
#include "distribution_api/page_parsers.hpp"

namespace headroom::distribution_api {
namespace {

using nlohmann::json;

/// Reads `{"items": [...], "next_cursor": ...}` with READ_ITEM for each item.
template <class T>
domain::expected<page_of<T>> read_page(std::string_view body, T (*read_item)(const field_reader&)) {
  return read_document<page_of<T>>(body, strictness::lenient, [read_item](const json& doc) {
    field_reader root(doc, "", strictness::lenient);
    page_of<T> out;
    const auto& items = root.array("items");
    for (std::size_t i = 0; i < items.size(); ++i)
      out.items.push_back(read_item(root.object(items[i], item_path("items", i))));
    out.next_cursor = root.optional_string("next_cursor");
    if (out.next_cursor && out.next_cursor->empty()) reject("next_cursor", "must not be empty");
    return out;
  });
}

/// The page as simdjson reads it where it takes it, else as nlohmann's parser reads it.
template <class T>
domain::expected<page_of<T>> simdjson_else_nlohmann(
    std::string_view body, std::optional<page_of<T>> (*simdjson)(std::string_view),
    domain::expected<page_of<T>> (*nlohmann)(std::string_view)) {
  if (auto page = simdjson(body)) return std::move(*page);
  return nlohmann(body);
}

std::int32_t minutes(const field_reader& r, const char* name) {
  auto parsed = domain::parse_time_of_day(r.string(name));
  if (!parsed) reject(r.at(name), parsed.failure().what);
  return *parsed;
}

customer_record read_customer(const field_reader& r) {
  customer_record c;
  c.id = r.string("id");
  c.services = r.strings("services");
  if (r.has("time_zone")) c.time_zone = r.string("time_zone");
  if (r.has("maintenance_windows")) {
    const auto& windows = r.array("maintenance_windows");
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const auto w = r.object(windows[i], item_path(r.at("maintenance_windows"), i));
      c.maintenance_windows.push_back({minutes(w, "from"), minutes(w, "to")});
    }
  }
  return c;
}

}  // namespace

domain::expected<page_of<customer_record>> read_customers_page(std::string_view body) {
  return read_page<customer_record>(body, read_customer);
}
domain::expected<page_of<device_record>> nlohmann_devices_page(std::string_view body) {
  return read_page<device_record>(body, read_device<field_reader>);
}
domain::expected<page_of<package_record>> nlohmann_packages_page(std::string_view body) {
  return read_page<package_record>(body, read_package<field_reader>);
}
domain::expected<page_of<service_record>> nlohmann_services_page(std::string_view body) {
  return read_page<service_record>(body, read_service<field_reader>);
}
domain::expected<page_of<job_record>> nlohmann_jobs_page(std::string_view body) {
  return read_page<job_record>(body, read_job<field_reader>);
}

domain::expected<page_of<device_record>> read_devices_page(std::string_view body) {
  return simdjson_else_nlohmann(body, simdjson_devices_page, nlohmann_devices_page);
}
domain::expected<page_of<package_record>> read_packages_page(std::string_view body) {
  return simdjson_else_nlohmann(body, simdjson_packages_page, nlohmann_packages_page);
}
domain::expected<page_of<service_record>> read_services_page(std::string_view body) {
  return simdjson_else_nlohmann(body, simdjson_services_page, nlohmann_services_page);
}
domain::expected<page_of<job_record>> read_jobs_page(std::string_view body) {
  return simdjson_else_nlohmann(body, simdjson_jobs_page, nlohmann_jobs_page);
}

std::string write_page(const std::vector<std::string>& items,
                       const std::optional<std::string>& next_cursor) {
  // The items are complete documents already: joined as they are, the page is the text
  // nlohmann::json would write for it (compact, keys in order).
  std::string out = R"({"items":[)";
  for (std::size_t i = 0; i < items.size(); ++i) (out += i ? "," : "") += items[i];
  out += R"(],"next_cursor":)";
  out += next_cursor ? json(*next_cursor).dump() : "null";
  return out += "}";
}

std::string write_customer(const customer_record& c) {
  json windows = json::array();
  for (const auto& w : c.maintenance_windows)
    windows.push_back({{"from", domain::format_time_of_day(w.from_minute)},
                       {"to", domain::format_time_of_day(w.to_minute)}});
  return json{{"id", c.id},
              {"services", c.services},
              {"time_zone", c.time_zone},
              {"maintenance_windows", std::move(windows)}}
      .dump();
}

std::string write_device(const device_record& d) {
  // Written directly, keys in nlohmann's order, as write_job (below) and for the same reason.
  std::string out;
  out.reserve(128);
  out += R"({"customer":)";
  append_string(out, d.customer);
  out += R"(,"id":)";
  append_string(out, d.id);
  out += R"(,"model":)";
  append_string(out, d.model);
  out += R"(,"monitoring_mode":)";
  append_string(out, domain::to_string(d.mode));
  out += R"(,"proxies":)";
  append_strings(out, d.proxies);
  return out += '}';
}

std::string write_package(const package_record& p, const std::optional<std::string>& image_sha256) {
  return json{{"id", p.id},
              {"version", p.version},
              {"size_bytes", p.size_bytes},
              {"sha256", image_sha256 ? json(*image_sha256) : json(nullptr)},
              {"firmware", image_sha256 ? json("/firmware/" + p.id) : json(nullptr)}}
      .dump();
}

std::string write_service(const service_record& s) {
  // Written directly, keys in nlohmann's order, as write_job (below): a fleet has a service
  // for nearly every device, and the service pages come with the devices at a detector's start.
  std::string out;
  out.reserve(160);
  out += '{';
  if (s.customer) {
    out += R"("customer":)";
    append_string(out, *s.customer);
    out += ',';
  }
  if (s.device) {
    out += R"("device":)";
    append_string(out, *s.device);
    out += ',';
  }
  out += R"("duration_s":)" + std::to_string(s.duration_s) + R"(,"every_s":)" +
         std::to_string(s.every_s) + R"(,"first_start":)";
  append_string(out, domain::format_utc(s.first_start));
  out += R"(,"service":)";
  append_string(out, s.service);
  out += '}';
  return out;
}

std::string write_job(const job_record& j) {
  // Written directly, in the order nlohmann's object (a std::map) wrote its keys: the job
  // lists are most of what a detector reads at its start, and building a DOM for each job
  // was most of a page's time. tests/distribution_api/json_test.cpp holds it to the DOM's.
  std::string out;
  out.reserve(256);
  out += R"({"change_seq":)" + std::to_string(j.change_seq) + R"(,"deadline":)";
  if (j.deadline)
    append_string(out, domain::format_utc(*j.deadline));
  else
    out += "null";
  out += R"(,"device":)";
  append_string(out, j.device);
  out += R"(,"duration_s":)" + std::to_string(j.duration_s) + R"(,"id":)";
  append_string(out, j.id);
  out += R"(,"package":)";
  append_string(out, j.package);
  out += R"(,"priority":)" + std::to_string(j.priority) + R"(,"start":)";
  append_string(out, domain::format_utc(j.start));
  out += R"(,"status":)";
  append_string(out, to_string(j.status));
  out += R"(,"updated_at":)";
  append_string(out, domain::format_utc(j.updated_at));
  out += R"(,"version":)" + std::to_string(j.version) + "}";
  return out;
}

}  // namespace headroom::distribution_api
