#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "distribution/failure.hpp"
#include "domain/time.hpp"

namespace headroom::distribution {

/// Parses a request body as JSON; the failure gives the byte offset of the first error.
domain::expected<nlohmann::json, failure> parse_json_body(const std::string& body);

/// Thrown by body_fields only and caught by read_body, so that a handler reads a body
/// field by field and every failure still leaves as a value naming the JSON path.
struct body_failure {
  failure why;
};

/// A JSON object read field by field with its path; unknown fields are rejected up front.
class body_fields {
 public:
  body_fields(const nlohmann::json& value, std::string path,
              std::initializer_list<const char*> known);

  [[nodiscard]] bool has(const char* name) const;
  [[nodiscard]] std::string at(const char* name) const;  ///< The path of a field.
  [[nodiscard]] const nlohmann::json& required(const char* name) const;
  [[nodiscard]] std::string string(const char* name) const;
  [[nodiscard]] std::optional<std::string> optional_string(const char* name) const;
  [[nodiscard]] std::int64_t integer(const char* name, std::int64_t min, std::int64_t max) const;
  [[nodiscard]] domain::instant time(const char* name) const;
  [[nodiscard]] const nlohmann::json& array(const char* name) const;

 private:
  const nlohmann::json& object_;
  std::string path_;
};

/// Raises a failure at a path from inside a read_body reader.
[[noreturn]] void reject(std::string path, std::string detail);

/// The path of an array element: `windows[3]`.
std::string item_path(const std::string& array_path, std::size_t i);

/// Runs `reader` (which uses body_fields) and turns a body_failure into a failure value.
template <class T, class F>
domain::expected<T, failure> read_body(F&& reader) {
  try {
    return reader();
  } catch (const body_failure& f) {
    return f.why;
  }
}

}  // namespace headroom::distribution
