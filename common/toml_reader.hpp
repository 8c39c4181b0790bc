#pragma once
// The one reader of every role's TOML file (config/*.toml). A role declares its settings
// by reading them, section by section, into a struct that already holds the defaults;
// a key that is absent keeps its default. Values are typed: integers are checked against
// the range of the field they go to, durations are whole milliseconds, lists and maps
// hold strings, a choice is one of its spellings. A section or key that nothing reads is
// an error too, so that a typo cannot silently leave a default in place. Every error
// names the key (`section.key`) and says where: the file and the line.
//
// Reading goes on past an error; `finish` reports the first one in the file.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/choices.hpp"
#include "domain/expected.hpp"

namespace headroom::common {

class toml_reader;

/// One [section] of a file. Reading a key marks it as known; a section the file lacks
/// reads nothing. Each `read` returns true when the key was there and its value taken.
class toml_section {
 public:
  bool read(std::string_view key, std::string& out);
  bool read(std::string_view key, bool& out);
  bool read(std::string_view key, double& out);
  bool read(std::string_view key, std::vector<std::string>& out);
  bool read(std::string_view key, std::map<std::string, std::string>& out);

  /// An integer within the range of T.
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) bool read(std::string_view key,
                                                                        T& out) {
    constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<T>::max()) >
                                 static_cast<std::uint64_t>(int64_max)
                             ? int64_max
                             : static_cast<std::int64_t>(std::numeric_limits<T>::max());
    auto value = integer(key, std::numeric_limits<T>::min(), max, false);
    if (value) out = static_cast<T>(*value);
    return value.has_value();
  }

  /// Whole milliseconds (the key says so: `..._ms`), 0 or more.
  template <class Rep, class Period>
  bool read(std::string_view key, std::chrono::duration<Rep, Period>& out) {
    using target = std::chrono::duration<Rep, Period>;
    using std::chrono::milliseconds;
    // A coarser unit than ms holds every count of ms (converting to it divides); casting
    // its own max() to ms would overflow.
    const auto max = std::ratio_greater_v<Period, std::milli>
                         ? milliseconds::max().count()
                         : std::chrono::duration_cast<milliseconds>(target::max()).count();
    auto ms = integer(key, 0, max, true);
    if (ms) out = std::chrono::duration_cast<target>(milliseconds{*ms});
    return ms.has_value();
  }

  /// A setting that has no default: set only when the file has it.
  template <class T>
  bool read(std::string_view key, std::optional<T>& out) {
    T value{};
    if (!read(key, value)) return false;
    out = std::move(value);
    return true;
  }

  /// One of the spellings in CHOICES (a table of `common::choice<T>`).
  template <class T, class Choices>
  bool choose(std::string_view key, T& out, const Choices& choices) {
    std::string text;
    if (!read(key, text)) return false;
    if (auto value = pick(choices, text)) {
      out = *value;
      return true;
    }
    refuse(key, "must be " + either(choices) + ", not \"" + text + "\"");
    return false;
  }
  template <class T>
  bool choose(std::string_view key, T& out, std::initializer_list<choice<T>> choices) {
    return choose<T, std::initializer_list<choice<T>>>(key, out, choices);
  }

  /// A string turned into a value by PARSE (`domain::expected<T>(const std::string&)`);
  /// its error becomes this key's.
  template <class T, class Parse>
  bool parse(std::string_view key, T& out, Parse&& parse) {
    std::string text;
    if (!read(key, text)) return false;
    auto value = parse(text);
    if (!value) {
      refuse(key, value.failure().message());
      return false;
    }
    out = std::move(*value);
    return true;
  }

  /// Records an error for KEY (at its line) that the caller found in its value.
  void refuse(std::string_view key, std::string what);

  /// The parsed file and what was read from it (opaque).
  struct state;

 private:
  friend class toml_reader;
  toml_section(state& file, std::string name) : file_(&file), name_(std::move(name)) {}

  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max,
                                      bool milliseconds);

  state* file_;
  std::string name_;
};

/// A parsed file and the errors found in it so far.
class toml_reader {
 public:
  /// Parses PATH; a syntax error names the file, the line and the column. ROLE names whose
  /// settings these are in errors ("is not a relay setting").
  static domain::expected<toml_reader> open(const std::string& path, std::string role);

  /// Parses TEXT as the contents of a file named SOURCE (errors say SOURCE where they would
  /// say the path); `open` reads the file and calls this.
  static domain::expected<toml_reader> parse(std::string_view text, const std::string& source,
                                             std::string role);

  toml_reader(toml_reader&&) noexcept;
  toml_reader& operator=(toml_reader&&) noexcept;
  ~toml_reader();

  /// The section [NAME]; one that is read is a known section.
  toml_section section(std::string name);

  /// The first error in the file, by line: a value that could not be taken, or a section
  /// or key that nothing read. Call once every setting has been read.
  [[nodiscard]] std::optional<domain::error> finish() const;

 private:
  explicit toml_reader(std::unique_ptr<toml_section::state> state);
  std::unique_ptr<toml_section::state> state_;
};

/// A configuration of type T read from an opened FILE: T starts from its defaults,
/// READ(file, t) reads every setting, and the first error in the file, if any, is the answer.
template <class T, class Read>
domain::expected<T> read_toml(domain::expected<toml_reader> file, Read&& read) {
  if (!file) return file.failure();
  T config;
  read(*file, config);
  if (auto e = file->finish()) return *e;
  return config;
}

/// read_toml of the file at PATH.
template <class T, class Read>
domain::expected<T> read_toml_file(const std::string& path, std::string role, Read&& read) {
  return read_toml<T>(toml_reader::open(path, std::move(role)), std::forward<Read>(read));
}

/// read_toml of TEXT, the contents of a file named SOURCE (the fuzz targets read this way).
template <class T, class Read>
domain::expected<T> read_toml_text(std::string_view text, const std::string& source,
                                   std::string role, Read&& read) {
  return read_toml<T>(toml_reader::parse(text, source, std::move(role)), std::forward<Read>(read));
}

}  // namespace headroom::common
