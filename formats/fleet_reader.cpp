#include "formats/fleet_reader.hpp"

#include <simdjson.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "domain/time.hpp"

namespace headroom::formats {
namespace {

using domain::error;
using domain::expected;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

/// A JSON path being walked, e.g. `jobs[41].start`.
class path {
 public:
  path() = default;
  [[nodiscard]] path field(std::string_view name) const {
    return path(text_.empty() ? std::string(name) : text_ + "." + std::string(name));
  }
  [[nodiscard]] path item(std::size_t i) const { return path(text_ + "[" + std::to_string(i) + "]"); }
  [[nodiscard]] error fail(std::string what) const { return {text_, std::move(what)}; }

 private:
  explicit path(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

/// Thrown inside the reader only, caught at parse_fleet: it keeps the walk
/// readable while every failure still leaves as an error value.
struct read_failure {
  error failure;
};

[[noreturn]] void fail(const path& at, std::string what) { throw read_failure{at.fail(std::move(what))}; }

const char* type_name(simdjson::dom::element_type t) {
  using simdjson::dom::element_type;
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

/// An object whose fields are read by name; unknown names are errors (typos are caught).
class fields {
 public:
  fields(element e, path at, std::initializer_list<std::string_view> known) : at_(std::move(at)) {
    if (e.get(object_) != simdjson::SUCCESS) fail(at_, std::string("expected an object, got ") + type_name(e.type()));
    for (auto kv : object_)
      if (std::find(known.begin(), known.end(), kv.key) == known.end())
        fail(at_.field(kv.key), "unknown field");
  }

  [[nodiscard]] bool has(std::string_view name) const {
    element e;
    return object_.at_key(name).get(e) == simdjson::SUCCESS;
  }

  [[nodiscard]] element required(std::string_view name) const {
    element e;
    if (object_.at_key(name).get(e) != simdjson::SUCCESS) fail(at_.field(name), "missing");
    return e;
  }

  [[nodiscard]] std::string string(std::string_view name) const { return as_string(required(name), at_.field(name)); }

  [[nodiscard]] std::string string_or(std::string_view name, std::string fallback) const {
    return has(name) ? string(name) : std::move(fallback);
  }

  [[nodiscard]] std::int64_t integer(std::string_view name) const {
    std::int64_t value = 0;
    const element e = required(name);
    if (e.get(value) != simdjson::SUCCESS)
      fail(at_.field(name), std::string("expected an integer, got ") + type_name(e.type()));
    return value;
  }

  [[nodiscard]] std::int64_t integer_or(std::string_view name, std::int64_t fallback) const {
    return has(name) ? integer(name) : fallback;
  }

  [[nodiscard]] std::int32_t int32(std::string_view name) const {
    const std::int64_t v = integer(name);
    if (v < INT32_MIN || v > INT32_MAX) fail(at_.field(name), "out of range");
    return static_cast<std::int32_t>(v);
  }

  [[nodiscard]] domain::instant time(std::string_view name) const {
    auto parsed = domain::parse_rfc3339(string(name));
    if (!parsed) fail(at_.field(name), parsed.failure().what);
    return *parsed;
  }

  [[nodiscard]] array list(std::string_view name) const {
    array a;
    const element e = required(name);
    if (e.get(a) != simdjson::SUCCESS) fail(at_.field(name), std::string("expected an array, got ") + type_name(e.type()));
    return a;
  }

  [[nodiscard]] const path& at() const { return at_; }

  static std::string as_string(element e, const path& at) {
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS) fail(at, std::string("expected a string, got ") + type_name(e.type()));
    return std::string(s);
  }

 private:
  object object_;
  path at_;
};

using id_map = std::unordered_map<std::string_view, domain::index_t>;

/// Ids of one section, so that later sections can name them; a duplicate is
/// reported here, before a reference to it could resolve to the wrong one.
template <class Items>
id_map index_ids(const Items& items, const path& section) {
  id_map ids;
  ids.reserve(items.size());
  for (domain::index_t i = 0; i < items.size(); ++i)
    if (!ids.emplace(items[i].id, i).second) fail(section.item(i).field("id"), "duplicate id '" + items[i].id + "'");
  return ids;
}

domain::index_t resolve(const id_map& ids, const std::string& id, const path& at, const char* kind) {
  const auto it = ids.find(id);
  if (it == ids.end()) fail(at, std::string("unknown ") + kind + " '" + id + "'");
  return it->second;
}

/// Calls read(element, path) for each item of an optional top-level array.
template <class Read>
void each(const fields& root, std::string_view name, bool required, Read&& read) {
  if (!required && !root.has(name)) return;
  const path at = root.at().field(name);
  std::size_t i = 0;
  for (element e : root.list(name)) read(e, at.item(i++));
}

struct reader {
  domain::fleet f;
  id_map proxy_ids, customer_ids, device_ids;

  void horizon(const fields& root) {
    if (!root.has("horizon")) return;
    const fields h(root.required("horizon"), root.at().field("horizon"), {"from", "to"});
    f.horizon = domain::interval{h.time("from"), h.time("to")};
  }

  void proxy(element e, const path& at) {
    const fields p(e, at, {"id", "capacity", "threshold"});
    domain::proxy out{p.string("id"), p.int32("capacity"), 0};
    out.threshold = p.has("threshold") ? p.int32("threshold") : out.capacity;
    f.proxies.push_back(std::move(out));
  }

  void customer(element e, const path& at) {
    const fields c(e, at, {"id", "services", "time_zone", "maintenance_windows"});
    domain::customer out{c.string("id"), {}, c.string_or("time_zone", "UTC"), {}};
    if (c.has("services")) {
      std::size_t i = 0;
      for (element s : c.list("services")) out.services.push_back(fields::as_string(s, at.field("services").item(i++)));
    }
    if (c.has("maintenance_windows")) {
      std::size_t i = 0;
      for (element w : c.list("maintenance_windows")) {
        const fields window(w, at.field("maintenance_windows").item(i++), {"from", "to"});
        out.maintenance_windows.push_back({time_of_day(window, "from"), time_of_day(window, "to")});
      }
    }
    f.customers.push_back(std::move(out));
  }

  static std::int32_t time_of_day(const fields& window, std::string_view name) {
    auto parsed = domain::parse_time_of_day(window.string(name));
    if (!parsed) fail(window.at().field(name), parsed.failure().what);
    return *parsed;
  }

  void device(element e, const path& at) {
    const fields d(e, at, {"id", "customer", "monitoring_mode", "proxy", "proxies", "model"});
    domain::device out;
    out.id = d.string("id");
    out.customer = resolve(customer_ids, d.string("customer"), at.field("customer"), "customer");
    const std::string mode = d.string("monitoring_mode");
    if (mode == "proxy")
      out.mode = domain::monitoring_mode::proxy;
    else if (mode == "direct")
      out.mode = domain::monitoring_mode::direct;
    else
      fail(at.field("monitoring_mode"), "'" + mode + "' is neither \"proxy\" nor \"direct\"");
    if (d.has("proxy") && d.has("proxies")) fail(at, "names both 'proxy' and 'proxies'");
    if (d.has("proxy")) out.path.push_back(resolve(proxy_ids, d.string("proxy"), at.field("proxy"), "proxy"));
    if (d.has("proxies")) {
      std::size_t i = 0;
      for (element p : d.list("proxies")) {
        const path item = at.field("proxies").item(i++);
        out.path.push_back(resolve(proxy_ids, fields::as_string(p, item), item, "proxy"));
      }
    }
    out.model = d.string_or("model", "");
    f.devices.push_back(std::move(out));
  }

  void package(element e, const path& at) {
    const fields p(e, at, {"id", "version", "size_bytes"});
    f.packages.push_back({p.string("id"), p.string_or("version", ""), p.integer_or("size_bytes", 0)});
  }

  void job(element e, const path& at) {
    const fields j(e, at, {"id", "device", "package", "start", "duration_s", "deadline", "priority"});
    domain::job out;
    out.id = j.string("id");
    out.device = resolve(device_ids, j.string("device"), at.field("device"), "device");
    out.package = j.string("package");
    out.start = j.time("start");
    out.duration_s = j.integer("duration_s");
    if (j.has("deadline")) out.deadline = j.time("deadline");
    out.priority = j.has("priority") ? j.int32("priority") : 0;
    f.jobs.push_back(std::move(out));
  }

  void service(element e, const path& at) {
    const fields s(e, at, {"device", "customer", "service", "first_start", "every_s", "duration_s"});
    domain::service_schedule out;
    if (s.has("device") == s.has("customer")) fail(at, "names exactly one of 'device' and 'customer'");
    if (s.has("device")) out.device = resolve(device_ids, s.string("device"), at.field("device"), "device");
    if (s.has("customer"))
      out.customer = resolve(customer_ids, s.string("customer"), at.field("customer"), "customer");
    out.service = s.string("service");
    out.first_start = s.time("first_start");
    out.every_s = s.integer("every_s");
    out.duration_s = s.integer("duration_s");
    f.services.push_back(std::move(out));
  }

  void read(element root_element) {
    const fields root(root_element, path(),
                      {"horizon", "proxies", "customers", "devices", "packages", "jobs", "services"});
    horizon(root);
    // Ids resolve against earlier sections.
    each(root, "proxies", true, [&](element e, const path& at) { proxy(e, at); });
    proxy_ids = index_ids(f.proxies, root.at().field("proxies"));
    each(root, "customers", true, [&](element e, const path& at) { customer(e, at); });
    customer_ids = index_ids(f.customers, root.at().field("customers"));
    each(root, "devices", true, [&](element e, const path& at) { device(e, at); });
    device_ids = index_ids(f.devices, root.at().field("devices"));
    each(root, "packages", false, [&](element e, const path& at) { package(e, at); });
    each(root, "jobs", true, [&](element e, const path& at) { job(e, at); });
    each(root, "services", false, [&](element e, const path& at) { service(e, at); });
  }
};

/// simdjson says what is wrong but not where; nlohmann's parser reports the byte.
error syntax_error(std::string_view json, simdjson::error_code code) {
  try {
    const auto parsed = nlohmann::json::parse(json.begin(), json.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < json.size(); ++i) {
      column = json[i] == '\n' ? 1 : column + 1;
      line += json[i] == '\n' ? 1 : 0;
    }
    return {"", "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
                    ": " + e.what()};
  }
  return {"", std::string("invalid JSON: ") + simdjson::error_message(code)};
}

domain::expected<domain::fleet> parse_padded(const simdjson::padded_string& padded) {
  simdjson::dom::parser parser;
  element root;
  if (auto code = parser.parse(padded).get(root); code != simdjson::SUCCESS)
    return syntax_error(std::string_view(padded.data(), padded.size()), code);
  reader r;
  try {
    r.read(root);
  } catch (const read_failure& failure) {
    return failure.failure;
  }
  if (auto invalid = domain::validate(r.f)) return *invalid;
  return std::move(r.f);
}

}  // namespace

domain::expected<domain::fleet> parse_fleet(std::string_view json) {
  return parse_padded(simdjson::padded_string(json));
}

domain::expected<domain::fleet> read_fleet_file(const std::string& file) {
  simdjson::padded_string contents;
  if (simdjson::padded_string::load(file).get(contents) != simdjson::SUCCESS)
    return error{file, "cannot read the file"};
  return parse_padded(contents);
}

}  // namespace headroom::formats
