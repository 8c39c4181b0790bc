#include "distribution_api/json.hpp"

#include <functional>
#include <limits>
#include <nlohmann/json.hpp>

#include "domain/time.hpp"

namespace headroom::distribution_api {
namespace {

using nlohmann::json;

// Thrown by the readers below and turned into an error value by `read_document`,
// so that no exception leaves this file.
struct malformed {
  domain::error why;
};

[[noreturn]] void reject(std::string where, std::string what) {
  throw malformed{{std::move(where), std::move(what)}};
}

std::string member_path(const std::string& at, const char* name) {
  return at.empty() ? name : at + "." + name;
}
std::string item_path(const std::string& at, std::size_t i) {
  return at + "[" + std::to_string(i) + "]";
}

/// One JSON object of an answer and where it sits in the document.
class object_reader {
 public:
  object_reader(const json& value, std::string at) : value_(value), at_(std::move(at)) {
    if (!value_.is_object()) reject(at_.empty() ? "$" : at_, "expected an object");
  }

  [[nodiscard]] const std::string& at() const { return at_; }
  [[nodiscard]] std::string at(const char* name) const { return member_path(at_, name); }

  /// Present and not null.
  [[nodiscard]] bool has(const char* name) const {
    auto it = value_.find(name);
    return it != value_.end() && !it->is_null();
  }

  [[nodiscard]] const json& required(const char* name) const {
    auto it = value_.find(name);
    if (it == value_.end() || it->is_null()) reject(at(name), "missing");
    return *it;
  }

  [[nodiscard]] std::string string(const char* name) const {
    const auto& v = required(name);
    if (!v.is_string()) reject(at(name), "expected a string");
    return v.get<std::string>();
  }

  [[nodiscard]] std::optional<std::string> optional_string(const char* name) const {
    if (!has(name)) return std::nullopt;
    return string(name);
  }

  [[nodiscard]] std::int64_t integer(
      const char* name, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
      std::int64_t max = std::numeric_limits<std::int64_t>::max()) const {
    const auto& v = required(name);
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
      reject(at(name), "must be at most " + std::to_string(max));
    if (!v.is_number_integer()) reject(at(name), "expected a whole number");
    const auto n = v.get<std::int64_t>();
    if (n < min || n > max)
      reject(at(name), "must be from " + std::to_string(min) + " to " + std::to_string(max) +
                           ", got " + std::to_string(n));
    return n;
  }

  [[nodiscard]] std::int32_t integer32(const char* name, std::int32_t min = 0) const {
    return static_cast<std::int32_t>(integer(name, min, std::numeric_limits<std::int32_t>::max()));
  }

  [[nodiscard]] bool boolean(const char* name) const {
    const auto& v = required(name);
    if (!v.is_boolean()) reject(at(name), "expected true or false");
    return v.get<bool>();
  }

  [[nodiscard]] domain::instant time(const char* name) const {
    const auto text = string(name);
    auto parsed = domain::parse_rfc3339(text);
    if (!parsed) reject(at(name), parsed.failure().what);
    return *parsed;
  }

  [[nodiscard]] const json& array(const char* name) const {
    const auto& v = required(name);
    if (!v.is_array()) reject(at(name), "expected an array");
    return v;
  }

  [[nodiscard]] std::vector<std::string> strings(const char* name) const {
    std::vector<std::string> out;
    const auto& items = array(name);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_string()) reject(item_path(at(name), i), "expected a string");
      out.push_back(items[i].get<std::string>());
    }
    return out;
  }

 private:
  const json& value_;
  std::string at_;
};

/// Parses BODY and reads it with READ; a parse error or a malformed value becomes an error.
template <class T>
domain::expected<T> read_document(std::string_view body,
                                  const std::function<T(const json&)>& read) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return domain::error{"$", "the answer is not JSON"};
  try {
    return read(doc);
  } catch (const malformed& m) {
    return m.why;
  } catch (const json::exception& e) {
    return domain::error{"$", e.what()};
  }
}

/// Reads `{"items": [...], "next_cursor": ...}` with READ_ITEM for each item.
template <class T>
domain::expected<page_of<T>> read_page(std::string_view body,
                                       T (*read_item)(const object_reader&)) {
  return read_document<page_of<T>>(body, [read_item](const json& doc) {
    object_reader root(doc, "");
    page_of<T> out;
    const auto& items = root.array("items");
    for (std::size_t i = 0; i < items.size(); ++i)
      out.items.push_back(read_item(object_reader(items[i], item_path("items", i))));
    out.next_cursor = root.optional_string("next_cursor");
    if (out.next_cursor && out.next_cursor->empty()) reject("next_cursor", "must not be empty");
    return out;
  });
}

std::int32_t minutes(const object_reader& r, const char* name) {
  auto parsed = domain::parse_time_of_day(r.string(name));
  if (!parsed) reject(r.at(name), parsed.failure().what);
  return *parsed;
}

customer_record read_customer(const object_reader& r) {
  customer_record c;
  c.id = r.string("id");
  c.services = r.strings("services");
  if (r.has("time_zone")) c.time_zone = r.string("time_zone");
  if (r.has("maintenance_windows")) {
    const auto& windows = r.array("maintenance_windows");
    for (std::size_t i = 0; i < windows.size(); ++i) {
      object_reader w(windows[i], item_path(r.at("maintenance_windows"), i));
      c.maintenance_windows.push_back({minutes(w, "from"), minutes(w, "to")});
    }
  }
  return c;
}

device_record read_device(const object_reader& r) {
  device_record d;
  d.id = r.string("id");
  d.customer = r.string("customer");
  d.model = r.string("model");
  const auto mode = domain::parse_monitoring_mode(r.string("monitoring_mode"));
  if (!mode) reject(r.at("monitoring_mode"), "must be 'proxy' or 'direct'");
  d.mode = *mode;
  if (r.has("proxies")) d.proxies = r.strings("proxies");
  return d;
}

package_record read_package(const object_reader& r) {
  return {r.string("id"), r.string("version"), r.integer("size_bytes", 0)};
}

service_record read_service(const object_reader& r) {
  service_record s;
  s.device = r.optional_string("device");
  s.customer = r.optional_string("customer");
  if (!s.device && !s.customer) reject(r.at(), "names neither a device nor a customer");
  s.service = r.string("service");
  s.first_start = r.time("first_start");
  s.every_s = r.integer("every_s", 1);
  s.duration_s = r.integer("duration_s", 0);
  return s;
}

job_record read_job(const object_reader& r) {
  job_record j;
  j.id = r.string("id");
  j.device = r.string("device");
  j.package = r.string("package");
  j.start = r.time("start");
  j.duration_s = r.integer("duration_s", 0);
  if (r.has("deadline")) j.deadline = r.time("deadline");
  if (r.has("priority"))
    j.priority =
        static_cast<std::int32_t>(r.integer("priority", std::numeric_limits<std::int32_t>::min(),
                                            std::numeric_limits<std::int32_t>::max()));
  const auto status = distribution_api::parse_job_status(r.string("status"));
  if (!status) reject(r.at("status"), "must be one of scheduled, running, done, failed, cancelled");
  j.status = *status;
  j.version = r.integer("version", 0);
  j.updated_at = r.time("updated_at");
  return j;
}

move_result read_move_result(const object_reader& r) {
  move_result m;
  m.job = r.string("job");
  const auto result = r.string("result");
  if (result == "applied") {
    m.applied = true;
    m.status = 200;
    return m;
  }
  if (result != "refused") reject(r.at("result"), "must be 'applied' or 'refused'");
  object_reader problem(r.required("problem"), r.at("problem"));
  m.status = problem.integer32("status", 100);
  if (m.status > 599) reject(problem.at("status"), "must be an HTTP status");
  m.detail =
      problem.optional_string("detail").value_or(problem.optional_string("title").value_or(""));
  return m;
}

json moves_json(const std::vector<move_record>& moves) {
  json out = json::array();
  for (const auto& m : moves)
    out.push_back({{"job", m.job},
                   {"from", domain::format_utc(m.from)},
                   {"to", domain::format_utc(m.to)},
                   {"version", m.version}});
  return out;
}

}  // namespace

domain::expected<page_of<customer_record>> read_customers_page(std::string_view body) {
  return read_page<customer_record>(body, read_customer);
}
domain::expected<page_of<device_record>> read_devices_page(std::string_view body) {
  return read_page<device_record>(body, read_device);
}
domain::expected<page_of<package_record>> read_packages_page(std::string_view body) {
  return read_page<package_record>(body, read_package);
}
domain::expected<page_of<service_record>> read_services_page(std::string_view body) {
  return read_page<service_record>(body, read_service);
}
domain::expected<page_of<job_record>> read_jobs_page(std::string_view body) {
  return read_page<job_record>(body, read_job);
}

domain::expected<std::vector<std::string>> read_topology_answer(std::string_view body) {
  return read_document<std::vector<std::string>>(
      body, [](const json& doc) { return object_reader(doc, "").strings("unknown_devices"); });
}

domain::expected<adjustment_outcome> read_adjustment_answer(std::string_view body) {
  return read_document<adjustment_outcome>(body, [](const json& doc) {
    object_reader root(doc, "");
    adjustment_outcome out;
    const auto& results = root.array("results");
    for (std::size_t i = 0; i < results.size(); ++i)
      out.results.push_back(read_move_result(object_reader(results[i], item_path("results", i))));
    return out;
  });
}

std::optional<problem_record> read_problem(std::string_view body) {
  auto read = read_document<problem_record>(body, [](const json& doc) {
    object_reader r(doc, "");
    problem_record p;
    p.status = r.integer32("status");
    p.type = r.optional_string("type").value_or("");
    p.title = r.optional_string("title").value_or("");
    p.detail = r.optional_string("detail").value_or("");
    p.path = r.optional_string("path").value_or("");
    return p;
  });
  if (!read) return std::nullopt;
  return *read;
}

std::string write_notification(const notification_record& n) {
  json windows = json::array();
  for (const auto& w : n.windows)
    windows.push_back({{"start", domain::format_utc(w.start)},
                       {"end", domain::format_utc(w.end)},
                       {"peak", w.peak},
                       {"threshold", w.threshold},
                       {"jobs", w.jobs}});
  json out{{"detector", n.detector},
           {"proxy", n.proxy},
           {"sent_at", domain::format_utc(n.sent_at)},
           {"windows", std::move(windows)}};
  if (!n.suggested_moves.empty())
    out["suggested_adjustment"] = {{"moves", moves_json(n.suggested_moves)}};
  return out.dump();
}

std::string write_adjustment(const adjustment_record& a) {
  return json{{"source", a.source}, {"moves", moves_json(a.moves)}}.dump();
}

std::string write_topology(const topology_record& t) {
  json proxies = json::array();
  for (const auto& p : t.proxies)
    proxies.push_back({{"id", p.id},
                       {"capacity", p.capacity},
                       {"threshold", p.threshold},
                       {"devices", p.devices}});
  return json{{"proxies", std::move(proxies)}}.dump();
}

}  // namespace headroom::distribution_api
