#pragma once
// Reading a JSON document field by field, naming the JSON path of every offending value
// (`items[3].start`). Internal to distribution_api: it exposes nlohmann::json, which the
// library keeps private; everything else sees distribution_api/json.hpp.

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "distribution_api/records.hpp"
#include "domain/expected.hpp"
#include "domain/time.hpp"

namespace headroom::distribution_api {

/// How a document is read. One reader reads each document, so each has one strictness.
enum class strictness {
  /// Answers of a distribution system, read by the detector: fields the reader does not
  /// know are ignored (a vendor's API may carry more than ours) and a null is absent.
  lenient,
  /// Requests to the reference server, which validates them (docs/api.md): unknown fields
  /// and empty strings are refused, so that a client's typo is an error instead of a
  /// default silently kept, and a null is a value of the wrong type.
  strict,
};

/// Thrown by field_reader and by the readers read_document runs, and caught there, so that
/// no exception leaves distribution_api.
struct malformed {
  domain::error why;
};

/// Raises a malformed value at a JSON path from inside a read_document reader.
[[noreturn]] void reject(std::string where, std::string what);

/// The path of an array element: `windows[3]`.
std::string item_path(const std::string& array_path, std::size_t i);

/// One JSON object of a document and where it sits in the document (empty: the root).
class field_reader {
 public:
  /// A strict reader refuses the fields not in `known`; a lenient one ignores them.
  field_reader(const nlohmann::json& value, std::string path, strictness mode,
               std::initializer_list<const char*> known = {});

  [[nodiscard]] const std::string& at() const { return at_; }
  [[nodiscard]] std::string at(const char* name) const;  ///< The path of a field.

  /// Present, even as null.
  [[nodiscard]] bool contains(const char* name) const;
  /// Present and not null.
  [[nodiscard]] bool has(const char* name) const;

  [[nodiscard]] const nlohmann::json& required(const char* name) const;
  [[nodiscard]] std::string string(const char* name) const;
  [[nodiscard]] std::optional<std::string> optional_string(const char* name) const;
  [[nodiscard]] std::int64_t integer(
      const char* name, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
      std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
  [[nodiscard]] domain::instant time(const char* name) const;
  [[nodiscard]] const nlohmann::json& array(const char* name) const;
  /// An array of strings; an item of another type (or, strictly, an empty one) is refused
  /// as "expected `what`".
  [[nodiscard]] std::vector<std::string> strings(const char* name,
                                                 const char* what = "a string") const;

  /// Reads an object nested in this one with the same strictness.
  [[nodiscard]] field_reader object(const nlohmann::json& value, std::string path,
                                    std::initializer_list<const char*> known = {}) const;

 private:
  const nlohmann::json& value_;
  std::string at_;
  strictness mode_;
};

/// The deepest nesting of arrays and objects a document may have. Ours nest 4 deep; writing
/// a document again (canonical_json) recurses once per level, so that a body of a million
/// brackets would overflow the stack.
constexpr int max_document_depth = 64;

/// Parses a document; the error names the byte where it stops being JSON, or says that it
/// nests deeper than max_document_depth.
domain::expected<nlohmann::json> parse_document(std::string_view body);

/// An error of a document read in MODE: a lenient reader names the root `$`; a strict
/// one leaves its path empty, as the server's problem documents do.
inline domain::error named_for(strictness mode, domain::error e) {
  if (mode == strictness::lenient && e.where.empty()) e.where = "$";
  return e;
}

/// Reads a parsed document with READ (which uses field_reader); a malformed value becomes
/// an error.
template <class T, class F>
domain::expected<T> read_parsed(const nlohmann::json& doc, strictness mode, F&& read) {
  try {
    return read(doc);
  } catch (const malformed& m) {
    return named_for(mode, m.why);
  } catch (const nlohmann::json::exception& e) {
    return named_for(mode, {"", e.what()});
  }
}

/// Parses BODY and reads it with READ, as read_parsed does.
template <class T, class F>
domain::expected<T> read_document(std::string_view body, strictness mode, F&& read) {
  auto doc = parse_document(body);
  if (!doc) return named_for(mode, doc.failure());
  return read_parsed<T>(*doc, mode, std::forward<F>(read));
}

}  // namespace headroom::distribution_api
