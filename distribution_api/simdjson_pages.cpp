// simdjson's DOM validates the whole page (nlohmann's does too) at about a gigabyte a
// second; the items are then read with the same item readers as nlohmann's pages
// (list_items.hpp). This is the only file that includes simdjson.h, a heavy header.
#include <simdjson.h>

#include <array>
#include <limits>
#include <string>

#include "distribution_api/list_items.hpp"
#include "distribution_api/page_parsers.hpp"

namespace headroom::distribution_api {
namespace {

namespace dom = simdjson::dom;

/// Thrown where the page is nlohmann's to judge; caught at read_page.
struct not_taken {};

/// The deepest nesting taken. The pages nest three deep; nlohmann's reader refuses
/// documents deeper than max_document_depth, and anything near that is left to it.
constexpr std::size_t taken_depth = 16;

/// The most fields an item may have here: ours have up to 11, a vendor's may carry more.
constexpr std::size_t taken_fields = 32;

/// One object of a page with field_reader's calls, read leniently as the detector reads
/// answers: unknown fields are ignored and a null is absent. Paths are not kept: a value
/// it would refuse is refused by nlohmann's reading too, which names where.
class simdjson_fields {
 public:
  explicit simdjson_fields(dom::element value) {
    dom::object object;
    if (value.get(object) != simdjson::SUCCESS) throw not_taken{};
    for (const auto field : object) {
      if (size_ == taken_fields) throw not_taken{};
      // nlohmann keeps the last of repeated keys, and these lookups would find the first.
      for (std::size_t i = 0; i < size_; ++i)
        if (keys_[i] == field.key) throw not_taken{};
      keys_[size_] = field.key;
      values_[size_++] = field.value;
    }
  }

  [[nodiscard]] std::string at() const { return {}; }
  [[nodiscard]] std::string at(const char* name) const { return name; }

  [[nodiscard]] bool has(const char* name) const {
    const auto* v = find(name);
    return v != nullptr && !v->is_null();
  }

  [[nodiscard]] dom::element required(const char* name) const {
    const auto* v = find(name);
    if (v == nullptr || v->is_null()) throw not_taken{};
    return *v;
  }

  [[nodiscard]] std::string string(const char* name) const {
    return std::string(text(required(name)));
  }

  [[nodiscard]] std::optional<std::string> optional_string(const char* name) const {
    if (!has(name)) return std::nullopt;
    return string(name);
  }

  /// Only integers simdjson holds as signed 64-bit: nlohmann reads one beyond that range
  /// as unsigned or as a double, which field_reader refuses or reads otherwise.
  [[nodiscard]] std::int64_t integer(
      const char* name, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
      std::int64_t max = std::numeric_limits<std::int64_t>::max()) const {
    const auto v = required(name);
    std::int64_t n = 0;
    if (v.get(n) != simdjson::SUCCESS || n < min || n > max) throw not_taken{};
    return n;
  }

  [[nodiscard]] domain::instant time(const char* name) const {
    auto parsed = domain::parse_rfc3339(text(required(name)));
    if (!parsed) throw not_taken{};
    return *parsed;
  }

  [[nodiscard]] std::vector<std::string> strings(const char* name) const {
    dom::array items;
    if (required(name).get(items) != simdjson::SUCCESS) throw not_taken{};
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const auto item : items) out.emplace_back(text(item));
    return out;
  }

 private:
  static std::string_view text(dom::element v) {
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) throw not_taken{};
    return s;
  }

  [[nodiscard]] const dom::element* find(std::string_view name) const {
    for (std::size_t i = 0; i < size_; ++i)
      if (keys_[i] == name) return &values_[i];
    return nullptr;
  }

  std::array<std::string_view, taken_fields> keys_;
  std::array<dom::element, taken_fields> values_;
  std::size_t size_ = 0;
};

/// A parser per thread, kept between pages (its buffers grow to the largest page once),
/// that refuses documents nested deeper than taken_depth.
dom::parser* depth_limited_parser() {
  thread_local dom::parser parser;
  thread_local const bool ready = parser.allocate(1 << 16, taken_depth) == simdjson::SUCCESS;
  return ready && parser.max_depth() == taken_depth ? &parser : nullptr;
}

template <class T>
std::optional<page_of<T>> read_page(std::string_view body, T (*read_item)(const simdjson_fields&)) {
  // simdjson and nlohmann part on some escapes (a lone surrogate); the pages of a
  // distribution system hold ids and times, which need none.
  if (body.find('\\') != std::string_view::npos) return std::nullopt;
  auto* parser = depth_limited_parser();
  dom::element root;
  if (parser == nullptr || parser->parse(body.data(), body.size()).get(root) != simdjson::SUCCESS)
    return std::nullopt;
  try {
    const simdjson_fields page(root);
    dom::array items;
    if (page.required("items").get(items) != simdjson::SUCCESS) return std::nullopt;
    page_of<T> out;
    out.items.reserve(items.size());
    for (const auto item : items) out.items.push_back(read_item(simdjson_fields(item)));
    out.next_cursor = page.optional_string("next_cursor");
    if (out.next_cursor && out.next_cursor->empty()) return std::nullopt;
    return out;
  } catch (const not_taken&) {
    return std::nullopt;
  } catch (const malformed&) {  // From the item readers' own checks.
    return std::nullopt;
  }
}

}  // namespace

std::optional<page_of<device_record>> simdjson_devices_page(std::string_view body) {
  return read_page<device_record>(body, read_device<simdjson_fields>);
}
std::optional<page_of<package_record>> simdjson_packages_page(std::string_view body) {
  return read_page<package_record>(body, read_package<simdjson_fields>);
}
std::optional<page_of<service_record>> simdjson_services_page(std::string_view body) {
  return read_page<service_record>(body, read_service<simdjson_fields>);
}
std::optional<page_of<job_record>> simdjson_jobs_page(std::string_view body) {
  return read_page<job_record>(body, read_job<simdjson_fields>);
}

}  // namespace headroom::distribution_api
