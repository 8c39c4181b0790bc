#include "distribution/http/json_body.hpp"

namespace headroom::distribution {
namespace {

const char* type_name(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

}  // namespace

domain::expected<nlohmann::json, failure> parse_json_body(const std::string& body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return failure{failure_kind::invalid, "", "malformed JSON at byte " + std::to_string(e.byte)};
  }
}

void reject(std::string path, std::string detail) {
  throw body_failure{{failure_kind::invalid, std::move(path), std::move(detail)}};
}

std::string item_path(const std::string& array_path, std::size_t i) {
  return array_path + "[" + std::to_string(i) + "]";
}

body_fields::body_fields(const nlohmann::json& value, std::string path,
                         std::initializer_list<const char*> known)
    : object_(value), path_(std::move(path)) {
  if (!value.is_object()) reject(path_, std::string("expected an object, got ") + type_name(value));
  for (const auto& [key, v] : value.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) reject(at(key.c_str()), "unknown field");
  }
}

bool body_fields::has(const char* name) const {
  return object_.contains(name) && !object_.at(name).is_null();
}

std::string body_fields::at(const char* name) const {
  return path_.empty() ? name : path_ + "." + name;
}

const nlohmann::json& body_fields::required(const char* name) const {
  if (!object_.contains(name)) reject(at(name), "missing");
  return object_.at(name);
}

std::string body_fields::string(const char* name) const {
  const auto& v = required(name);
  if (!v.is_string()) reject(at(name), std::string("expected a string, got ") + type_name(v));
  auto s = v.get<std::string>();
  if (s.empty()) reject(at(name), "must not be empty");
  return s;
}

std::optional<std::string> body_fields::optional_string(const char* name) const {
  if (!has(name)) return std::nullopt;
  return string(name);
}

std::int64_t body_fields::integer(const char* name, std::int64_t min, std::int64_t max) const {
  const auto& v = required(name);
  if (!v.is_number_integer())
    reject(at(name), std::string("expected an integer, got ") + type_name(v));
  const auto n = v.get<std::int64_t>();
  if (n < min || n > max)
    reject(at(name), "must be from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", got " + std::to_string(n));
  return n;
}

domain::instant body_fields::time(const char* name) const {
  const auto text = string(name);
  auto t = domain::parse_rfc3339(text);
  if (!t) reject(at(name), t.failure().what);
  return *t;
}

const nlohmann::json& body_fields::array(const char* name) const {
  const auto& v = required(name);
  if (!v.is_array()) reject(at(name), std::string("expected an array, got ") + type_name(v));
  return v;
}

}  // namespace headroom::distribution
