#include "formats/fleet_reader.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "domain/id_index.hpp"
#include "domain/time.hpp"
#include "formats/mapped_file.hpp"

namespace headroom::formats {
namespace {

namespace od = simdjson::ondemand;
using domain::error;

/// A JSON path being walked, e.g. `jobs[41].start`, rendered only when something
/// fails: each step points to its parent, which outlives it on the reader's stack.
class path {
 public:
  path() = default;
  [[nodiscard]] path field(std::string_view name) const { return {this, name, no_item}; }
  [[nodiscard]] path item(std::size_t i) const { return {this, {}, i}; }

  [[nodiscard]] std::string text() const {
    std::string out = parent_ != nullptr ? parent_->text() : std::string();
    if (item_ != no_item) return out + "[" + std::to_string(item_) + "]";
    if (name_.empty()) return out;
    return out.empty() ? std::string(name_) : out + "." + std::string(name_);
  }

 private:
  static constexpr std::size_t no_item = static_cast<std::size_t>(-1);
  path(const path* parent, std::string_view name, std::size_t item)
      : parent_(parent), name_(name), item_(item) {}

  const path* parent_ = nullptr;
  std::string_view name_;
  std::size_t item_ = no_item;
};

/// Thrown inside the reader only and caught at parse_padded, so that the walk stays
/// readable while every failure still leaves the reader as an error value.
struct read_failure {
  error failure;
};
/// The bytes are not JSON; where exactly is found afterwards.
struct syntax_failure {
  simdjson::error_code code;
};

[[noreturn]] void fail(const path& at, std::string what) {
  throw read_failure{{at.text(), std::move(what)}};
}

void check_syntax(simdjson::error_code code) {
  if (code != simdjson::SUCCESS) throw syntax_failure{code};
}

const char* type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

/// Refuses a value of another JSON type, naming the one it has.
void expect_type(od::value& v, od::json_type wanted, const path& at) {
  od::json_type t{};
  check_syntax(v.type().get(t));
  if (t != wanted) fail(at, std::string("expected ") + type_name(wanted) + ", got " + type_name(t));
}

/// The string, viewed in the input when it has no escapes (ids, names and times almost
/// always), else in the parser's buffer: valid until the parser is gone. Unescaping
/// copies into that buffer, which would otherwise hold every string of a large file again.
std::string_view read_view(od::value v, const path& at) {
  expect_type(v, od::json_type::string, at);
  const std::string_view token = v.raw_json_token();
  const auto text = token.substr(1, token.rfind('"') - 1);
  if (text.find('\\') == std::string_view::npos) return text;
  std::string_view s;
  check_syntax(v.get_string().get(s));
  return s;
}

/// A key's text as written, up to its closing quote.
std::string_view raw_key_text(const od::raw_json_string& key) {
  const char* begin = key.raw();
  const char* end = begin;
  while (*end != '"') end += *end == '\\' ? 2 : 1;
  return {begin, static_cast<std::size_t>(end - begin)};
}

/// A key's name, compared as written without copying it out; an escaped key (rare) is
/// decoded into `decoded` first, and a broken escape is a syntax error.
std::string_view key_name(const od::raw_json_string& key, std::string& decoded) {
  const auto written = raw_key_text(key);
  if (written.find('\\') == std::string_view::npos) return written;
  const auto parsed = nlohmann::json::parse("\"" + std::string(written) + "\"", nullptr, false);
  if (parsed.is_discarded()) throw syntax_failure{simdjson::STRING_ERROR};
  decoded = parsed.get<std::string>();
  return decoded;
}

std::string read_string(od::value v, const path& at) { return std::string(read_view(v, at)); }

std::int64_t read_integer(od::value v, const path& at) {
  od::json_type t{};
  check_syntax(v.type().get(t));
  if (t != od::json_type::number) fail(at, std::string("expected an integer, got ") + type_name(t));
  std::int64_t n = 0;
  if (v.get_int64().get(n) != simdjson::SUCCESS)
    fail(at, "expected an integer in the 64-bit range");
  return n;
}

std::int32_t read_int32(od::value v, const path& at) {
  const std::int64_t n = read_integer(v, at);
  if (n < INT32_MIN || n > INT32_MAX) fail(at, "out of range");
  return static_cast<std::int32_t>(n);
}

domain::instant read_time(od::value v, const path& at) {
  auto parsed = domain::parse_rfc3339(read_view(v, at));
  if (!parsed) fail(at, parsed.failure().what);
  return *parsed;
}

std::int32_t read_time_of_day(od::value v, const path& at) {
  auto parsed = domain::parse_time_of_day(read_view(v, at));
  if (!parsed) fail(at, parsed.failure().what);
  return *parsed;
}

/// Calls on(field number, value, path) for each field of an object, in file order;
/// unknown and repeated names are errors. Returns which known fields were present.
template <class Object, class OnField>
unsigned read_fields(Object&& object, const path& at, std::initializer_list<std::string_view> known,
                     OnField&& on) {
  unsigned seen = 0;
  std::string decoded;
  for (auto field : object) {
    od::raw_json_string key;
    check_syntax(field.key().get(key));
    const auto name = key_name(key, decoded);
    const path field_at = at.field(name);
    const auto it = std::find(known.begin(), known.end(), name);
    if (it == known.end()) fail(field_at, "unknown field");
    const auto position = static_cast<std::size_t>(it - known.begin());
    const auto bit = 1u << position;
    if (seen & bit) fail(field_at, "appears twice");
    seen |= bit;
    od::value value;
    check_syntax(field.value().get(value));
    on(position, value, field_at);
  }
  return seen;
}

template <class OnField>
unsigned read_object(od::value v, const path& at, std::initializer_list<std::string_view> known,
                     OnField&& on) {
  expect_type(v, od::json_type::object, at);
  od::object object;
  check_syntax(v.get_object().get(object));
  return read_fields(object, at, known, on);
}

/// Fails naming the first of `required` (positions in `known`) that `seen` lacks.
void require(unsigned seen, const path& at, std::initializer_list<std::string_view> known,
             std::initializer_list<std::size_t> required) {
  for (std::size_t r : required)
    if (!(seen & (1u << r))) fail(at.field(*(known.begin() + r)), "missing");
}

/// Calls on(item, path) for each element; `reserve(count)` first, where the count is
/// worth knowing: a section's vector then grows once instead of doubling into twice its size.
template <class OnItem, class Reserve>
void read_array(od::value v, const path& at, OnItem&& on, Reserve&& reserve) {
  expect_type(v, od::json_type::array, at);
  od::array array;
  check_syntax(v.get_array().get(array));
  std::size_t count = 0;
  check_syntax(array.count_elements().get(count));
  reserve(count);
  std::size_t i = 0;
  for (auto element : array) {
    od::value item;
    check_syntax(element.get(item));
    const path item_at = at.item(i++);
    on(item, item_at);
  }
}

template <class OnItem>
void read_array(od::value v, const path& at, OnItem&& on) {
  read_array(v, at, std::forward<OnItem>(on), [](std::size_t) {});
}

/// Ids kept until they are resolved, copied side by side: a view into the input would
/// bring back the pages already given back, and a string per id costs four times the memory.
class id_list {
 public:
  void reserve(std::size_t n) {
    ends_.reserve(n);
    text_.reserve(n * 8);
  }
  void push_back(std::string_view id) {
    text_.append(id);
    ends_.push_back(text_.size());
  }
  [[nodiscard]] std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return {text_.data() + begin, ends_[i] - begin};
  }
  [[nodiscard]] std::size_t size() const { return ends_.size(); }

 private:
  std::string text_;
  std::vector<std::size_t> ends_;
};

/// References by id, resolved once every section is read (sections may come in any order).
struct pending_references {
  id_list device_customer;
  id_list path_proxies;                 ///< Every device's path, one after the other.
  std::vector<std::uint32_t> path_end;  ///< Where each device's path ends in it.
  std::vector<bool> device_path_is_chain;
  id_list job_device;
  id_list service_target;
};

class reader {
 public:
  domain::fleet f;
  /// The document being read and, when it is a mapped file, the file: the pages read
  /// are given back as the large sections go by.
  od::document* doc = nullptr;
  mapped_file* input = nullptr;

  void read(od::document& doc) {
    const path top;
    od::json_type type{};
    check_syntax(doc.type().get(type));
    if (type != od::json_type::object)
      fail(top, std::string("expected an object, got ") + type_name(type));
    od::object root;
    check_syntax(doc.get_object().get(root));
    static const std::initializer_list<std::string_view> sections{
        "horizon", "proxies", "customers", "devices", "packages", "jobs", "services"};
    const unsigned seen =
        read_fields(root, top, sections, [&](std::size_t field, od::value v, const path& at) {
          switch (field) {
            case 0:
              return horizon(v, at);
            case 1:
              return read_array(v, at, [&](od::value item, const path& i) { proxy(item, i); });
            case 2:
              return read_array(v, at, [&](od::value item, const path& i) { customer(item, i); });
            case 3:
              return read_array(
                  v, at, [&](od::value item, const path& i) { device(item, i); },
                  [&](std::size_t n) {
                    f.devices.reserve(n);
                    refs_.device_customer.reserve(n);
                    refs_.path_end.reserve(n);
                    refs_.path_proxies.reserve(n);
                  });
            case 4:
              return read_array(v, at, [&](od::value item, const path& i) { package(item, i); });
            case 5:
              return read_array(
                  v, at, [&](od::value item, const path& i) { job(item, i); },
                  [&](std::size_t n) {
                    f.jobs.reserve(n);
                    refs_.job_device.reserve(n);
                  });
            default:
              return read_array(
                  v, at, [&](od::value item, const path& i) { service(item, i); },
                  [&](std::size_t n) {
                    f.services.reserve(n);
                    refs_.service_target.reserve(n);
                  });
          }
        });
    require(seen, top, sections, {1, 2, 3, 5});
    resolve();
  }

 private:
  void horizon(od::value v, const path& at) {
    domain::interval h;
    static const std::initializer_list<std::string_view> known{"from", "to"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          (field == 0 ? h.start : h.end) = read_time(value, fa);
        });
    require(seen, at, known, {0, 1});
    f.horizon = h;
  }

  void proxy(od::value v, const path& at) {
    domain::proxy out;
    std::optional<std::int32_t> threshold;
    static const std::initializer_list<std::string_view> known{"id", "capacity", "threshold"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          if (field == 0) out.id = read_string(value, fa);
          if (field == 1) out.capacity = read_int32(value, fa);
          if (field == 2) threshold = read_int32(value, fa);
        });
    require(seen, at, known, {0, 1});
    out.threshold = threshold.value_or(out.capacity);
    f.proxies.push_back(std::move(out));
  }

  void customer(od::value v, const path& at) {
    domain::customer out;
    static const std::initializer_list<std::string_view> known{"id", "services", "time_zone",
                                                               "maintenance_windows"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          if (field == 0) out.id = read_string(value, fa);
          if (field == 1)
            read_array(value, fa, [&](od::value s, const path& i) {
              out.services.push_back(read_string(s, i));
            });
          if (field == 2) out.time_zone = read_string(value, fa);
          if (field == 3)
            read_array(value, fa, [&](od::value w, const path& i) {
              out.maintenance_windows.push_back(window(w, i));
            });
        });
    require(seen, at, known, {0});
    f.customers.push_back(std::move(out));
  }

  static domain::local_window window(od::value v, const path& at) {
    domain::local_window out;
    static const std::initializer_list<std::string_view> known{"from", "to"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          (field == 0 ? out.from_minute : out.to_minute) = read_time_of_day(value, fa);
        });
    require(seen, at, known, {0, 1});
    return out;
  }

  void device(od::value v, const path& at) {
    domain::device out;
    std::string_view customer;
    static const std::initializer_list<std::string_view> known{
        "id", "customer", "monitoring_mode", "proxy", "proxies", "model"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          switch (field) {
            case 0:
              out.id = read_string(value, fa);
              break;
            case 1:
              customer = read_view(value, fa);
              break;
            case 2:
              out.mode = monitoring_mode(read_view(value, fa), fa);
              break;
            case 3:
              refs_.path_proxies.push_back(read_view(value, fa));
              break;
            case 4:
              read_array(value, fa, [&](od::value p, const path& i) {
                refs_.path_proxies.push_back(read_view(p, i));
              });
              break;
            default:
              out.model = read_string(value, fa);
          }
        });
    require(seen, at, known, {0, 1, 2});
    if ((seen & 0b11000u) == 0b11000u) fail(at, "names both 'proxy' and 'proxies'");
    refs_.device_customer.push_back(customer);
    refs_.path_end.push_back(static_cast<std::uint32_t>(refs_.path_proxies.size()));
    refs_.device_path_is_chain.push_back((seen & 0b10000u) != 0);
    f.devices.push_back(std::move(out));
    advanced();
  }

  static domain::monitoring_mode monitoring_mode(std::string_view mode, const path& at) {
    if (mode == "proxy") return domain::monitoring_mode::proxy;
    if (mode != "direct")
      fail(at, "'" + std::string(mode) + "' is neither \"proxy\" nor \"direct\"");
    return domain::monitoring_mode::direct;
  }

  void package(od::value v, const path& at) {
    domain::package out;
    static const std::initializer_list<std::string_view> known{"id", "version", "size_bytes"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          if (field == 0) out.id = read_string(value, fa);
          if (field == 1) out.version = read_string(value, fa);
          if (field == 2) out.size_bytes = read_integer(value, fa);
        });
    require(seen, at, known, {0});
    f.packages.push_back(std::move(out));
  }

  void job(od::value v, const path& at) {
    domain::job out;
    std::string_view device;
    static const std::initializer_list<std::string_view> known{
        "id", "device", "package", "start", "duration_s", "deadline", "priority"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          switch (field) {
            case 0:
              out.id = read_string(value, fa);
              break;
            case 1:
              device = read_view(value, fa);
              break;
            case 2:
              out.package = read_string(value, fa);
              break;
            case 3:
              out.start = read_time(value, fa);
              break;
            case 4:
              out.duration_s = read_integer(value, fa);
              break;
            case 5:
              out.deadline = read_time(value, fa);
              break;
            default:
              out.priority = read_int32(value, fa);
          }
        });
    require(seen, at, known, {0, 1, 2, 3, 4});
    refs_.job_device.push_back(device);
    f.jobs.push_back(std::move(out));
    advanced();
  }

  void service(od::value v, const path& at) {
    domain::service_schedule out;
    std::string_view target;
    static const std::initializer_list<std::string_view> known{
        "device", "customer", "service", "first_start", "every_s", "duration_s"};
    const unsigned seen =
        read_object(v, at, known, [&](std::size_t field, od::value value, const path& fa) {
          switch (field) {
            case 0:
            case 1:
              target = read_view(value, fa);
              break;
            case 2:
              out.service = read_string(value, fa);
              break;
            case 3:
              out.first_start = read_time(value, fa);
              break;
            case 4:
              out.every_s = read_integer(value, fa);
              break;
            default:
              out.duration_s = read_integer(value, fa);
          }
        });
    if (((seen & 1u) != 0) == ((seen & 2u) != 0))
      fail(at, "names exactly one of 'device' and 'customer'");
    require(seen, at, known, {2, 3, 4, 5});
    // The target kind is kept in the optional that is set; its index is filled in by resolve().
    if (seen & 1u) out.device = 0;
    if (seen & 2u) out.customer = 0;
    refs_.service_target.push_back(target);
    f.services.push_back(std::move(out));
    advanced();
  }

  /// Every few thousand items of a large section, gives back the pages read so far.
  void advanced() {
    if (input == nullptr || ++items_ % 4096 != 0) return;
    const char* at = nullptr;
    if (doc->current_location().get(at) == simdjson::SUCCESS) input->release_before(at);
  }

  /// Ids of one section; a duplicate is reported before a reference could resolve to it.
  template <class Items>
  static domain::id_index index_ids(const Items& items, const char* section) {
    domain::id_index ids(items);
    if (const auto repeated = ids.first_duplicate())
      throw read_failure{{std::string(section) + "[" + std::to_string(*repeated) + "].id",
                          "duplicate id '" + items[*repeated].id + "'"}};
    return ids;
  }

  /// Resolves one reference; `where` renders its path, only when the id is unknown.
  template <class Where>
  static domain::index_t find(const domain::id_index& ids, std::string_view id, const char* kind,
                              Where&& where) {
    const auto found = ids.find(id);
    if (!found)
      throw read_failure{{where(), std::string("unknown ") + kind + " '" + std::string(id) + "'"}};
    return *found;
  }

  void resolve() {
    const auto proxies = index_ids(f.proxies, "proxies");
    const auto customers = index_ids(f.customers, "customers");
    const auto devices = index_ids(f.devices, "devices");
    for (std::size_t d = 0; d < f.devices.size(); ++d) {
      auto at = [d](const std::string& field) {
        return "devices[" + std::to_string(d) + "]." + field;
      };
      f.devices[d].customer =
          find(customers, refs_.device_customer[d], "customer", [&] { return at("customer"); });
      const std::uint32_t first = d == 0 ? 0 : refs_.path_end[d - 1];
      f.devices[d].path.reserve(refs_.path_end[d] - first);
      for (std::uint32_t k = 0; first + k < refs_.path_end[d]; ++k)
        f.devices[d].path.push_back(find(proxies, refs_.path_proxies[first + k], "proxy", [&] {
          return refs_.device_path_is_chain[d] ? at("proxies[" + std::to_string(k) + "]")
                                               : at("proxy");
        }));
    }
    for (std::size_t j = 0; j < f.jobs.size(); ++j)
      f.jobs[j].device = find(devices, refs_.job_device[j], "device",
                              [j] { return "jobs[" + std::to_string(j) + "].device"; });
    for (std::size_t s = 0; s < f.services.size(); ++s) {
      auto& service = f.services[s];
      auto at = [s](const char* field) { return "services[" + std::to_string(s) + "]." + field; };
      if (service.device)
        service.device =
            find(devices, refs_.service_target[s], "device", [&] { return at("device"); });
      if (service.customer)
        service.customer =
            find(customers, refs_.service_target[s], "customer", [&] { return at("customer"); });
    }
  }

  pending_references refs_;
  std::size_t items_ = 0;
};

/// Walks a document without building it and keeps the first error and its byte, which
/// nlohmann's parser reports for a syntax error and for a number out of range alike.
struct first_json_error : nlohmann::json_sax<nlohmann::json> {
  std::size_t byte = 0;
  std::string what;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    byte = position;
    what = e.what();
    return false;
  }
};

/// simdjson says what is wrong but not where; nlohmann's parser reports the byte.
error syntax_error(std::string_view json, simdjson::error_code code) {
  first_json_error found;
  if (nlohmann::json::sax_parse(json.begin(), json.end(), &found) || found.what.empty())
    return {"", std::string("invalid JSON: ") + simdjson::error_message(code)};
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < found.byte && i < json.size(); ++i) {
    column = json[i] == '\n' ? 1 : column + 1;
    line += json[i] == '\n' ? 1 : 0;
  }
  return {"", "invalid JSON at line " + std::to_string(line) + ", column " +
                  std::to_string(column) + ": " + found.what};
}

domain::expected<domain::fleet> parse_padded(simdjson::padded_string_view padded,
                                             mapped_file* input) {
  // This file is compiled for x86-64-v3 so that simdjson's On-Demand parser uses AVX2.
  if (!__builtin_cpu_supports("avx2"))
    return error{"", "reading fleet files needs a CPU with AVX2 (x86-64-v3)"};
  const std::string_view json(padded.data(), padded.size());
  od::parser parser;
  od::document doc;
  reader r;
  r.doc = &doc;
  r.input = input;
  try {
    check_syntax(parser.iterate(padded).get(doc));
    r.read(doc);
    // Past the root value the document must be over: anything left is trailing content.
    const char* rest = nullptr;
    if (doc.current_location().get(rest) == simdjson::SUCCESS)
      throw syntax_failure{simdjson::TRAILING_CONTENT};
  } catch (const syntax_failure& failure) {
    return syntax_error(json, failure.code);
  } catch (const read_failure& failure) {
    return failure.failure;
  }
  if (auto invalid = domain::validate(r.f)) return *invalid;
  return std::move(r.f);
}

}  // namespace

domain::expected<domain::fleet> parse_fleet(std::string_view json) {
  const simdjson::padded_string padded(json);
  return parse_padded(padded, nullptr);
}

domain::expected<domain::fleet> read_fleet_file(const std::string& file) {
  if (auto mapped = mapped_file::open(file, simdjson::SIMDJSON_PADDING)) {
    const auto text = mapped->text();
    return parse_padded(simdjson::padded_string_view(text.data(), text.size(), mapped->capacity()),
                        &*mapped);
  }
  simdjson::padded_string contents;
  if (simdjson::padded_string::load(file).get(contents) != simdjson::SUCCESS)
    return error{file, "cannot read the file"};
  return parse_padded(contents, nullptr);
}

}  // namespace headroom::formats
