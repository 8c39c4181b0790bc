#pragma once
// A setting with a few spellings ("reject" or "queue"): one table per setting serves the
// file, the flags and the error message, so that the spellings exist once. A table is any
// range of `choice`s: a std::array, an initializer list.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace headroom::common {

/// One spelling of a value.
template <class T>
using choice = std::pair<std::string_view, T>;

/// The value spelt TEXT, or nullopt.
template <class Choices>
auto pick(const Choices& choices, std::string_view text)
    -> std::optional<typename Choices::value_type::second_type> {
  for (const auto& [name, value] : choices)
    if (name == text) return value;
  return std::nullopt;
}

/// The spelling of VALUE (empty when the table has none).
template <class Choices, class T>
std::string_view spelling(const Choices& choices, const T& value) {
  for (const auto& [name, v] : choices)
    if (v == value) return name;
  return {};
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`: what a message says the choices are.
template <class Choices>
std::string either(const Choices& choices) {
  std::string out;
  std::size_t i = 0;
  for (const auto& entry : choices) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += "\"" + std::string(entry.first) + "\"";
    ++i;
  }
  return out;
}

}  // namespace headroom::common
