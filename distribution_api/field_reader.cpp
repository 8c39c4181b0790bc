#include "distribution_api/field_reader.hpp"

#include <algorithm>

namespace headroom::distribution_api {
namespace {

using nlohmann::json;

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

std::string expected_but(const char* what, const json& v) {
  return std::string("expected ") + what + ", got " + type_name(v);
}

}  // namespace

void reject(std::string where, std::string what) {
  throw malformed{{std::move(where), std::move(what)}};
}

std::string item_path(const std::string& array_path, std::size_t i) {
  return array_path + "[" + std::to_string(i) + "]";
}

field_reader::field_reader(const json& value, std::string path, strictness mode,
                           std::initializer_list<const char*> known)
    : value_(value), at_(std::move(path)), mode_(mode) {
  if (!value_.is_object()) reject(at_, expected_but("an object", value_));
  if (mode_ == strictness::lenient) return;
  for (const auto& [key, v] : value_.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) reject(at(key.c_str()), "unknown field");
  }
}

std::string field_reader::at(const char* name) const {
  return at_.empty() ? name : at_ + "." + name;
}

bool field_reader::contains(const char* name) const { return value_.contains(name); }

bool field_reader::has(const char* name) const {
  auto it = value_.find(name);
  return it != value_.end() && !it->is_null();
}

const json& field_reader::required(const char* name) const {
  auto it = value_.find(name);
  if (it == value_.end() || (mode_ == strictness::lenient && it->is_null()))
    reject(at(name), "missing");
  return *it;
}

std::string field_reader::string(const char* name) const {
  const auto& v = required(name);
  if (!v.is_string()) reject(at(name), expected_but("a string", v));
  auto s = v.get<std::string>();
  if (mode_ == strictness::strict && s.empty()) reject(at(name), "must not be empty");
  return s;
}

std::optional<std::string> field_reader::optional_string(const char* name) const {
  if (!has(name)) return std::nullopt;
  return string(name);
}

std::int64_t field_reader::integer(const char* name, std::int64_t min, std::int64_t max) const {
  const auto& v = required(name);
  if (!v.is_number_integer()) reject(at(name), expected_but("an integer", v));
  const auto n = v.get<std::int64_t>();
  if (n < min || n > max)
    reject(at(name), "must be from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", got " + std::to_string(n));
  return n;
}

domain::instant field_reader::time(const char* name) const {
  auto parsed = domain::parse_rfc3339(string(name));
  if (!parsed) reject(at(name), parsed.failure().what);
  return *parsed;
}

const json& field_reader::array(const char* name) const {
  const auto& v = required(name);
  if (!v.is_array()) reject(at(name), expected_but("an array", v));
  return v;
}

std::vector<std::string> field_reader::strings(const char* name, const char* what) const {
  std::vector<std::string> out;
  const auto& items = array(name);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() ||
        (mode_ == strictness::strict && items[i].get_ref<const std::string&>().empty()))
      reject(item_path(at(name), i), std::string("expected ") + what);
    out.push_back(items[i].get<std::string>());
  }
  return out;
}

field_reader field_reader::object(const json& value, std::string path,
                                  std::initializer_list<const char*> known) const {
  return field_reader(value, std::move(path), mode_, known);
}

namespace {

/// The deepest nesting of brackets outside strings, as far as the text can be scanned.
int bracket_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

domain::expected<json> parse_document(std::string_view body) {
  struct too_deep {};
  // Called as each value is read, with the number of arrays and objects around it.
  const auto limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth >= max_document_depth) throw too_deep{};
    return true;
  };
  // The parser that counts depth as it reads is half again as slow, and a detector reads
  // hundreds of pages at its start: a document well within the limit skips it. Both parse
  // alike and stop at the same byte.
  const bool shallow = bracket_depth(body) < max_document_depth - 1;
  try {
    return shallow ? json::parse(body) : json::parse(body, limit_depth);
  } catch (const json::parse_error& e) {
    return domain::error{"", "malformed JSON at byte " + std::to_string(e.byte)};
  } catch (const json::out_of_range& e) {
    // A number too large for a double (1e999): the parser names it but not its byte.
    return domain::error{"", std::string("malformed JSON: ") + e.what()};
  } catch (const too_deep&) {
    return domain::error{
        "", "JSON nested deeper than " + std::to_string(max_document_depth) + " levels"};
  }
}

}  // namespace headroom::distribution_api
