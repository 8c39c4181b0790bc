#pragma once
// A setting with a few spellings ("reject" or "queue"): one table per setting serves the
// file, the flags and the error message, so that the spellings exist once.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace headroom::common {

/// One spelling of a value.
template <class T>
using choice = std::pair<std::string_view, T>;

/// The value spelt TEXT, or nullopt.
template <class T>
std::optional<T> pick(std::span<const choice<T>> choices, std::string_view text) {
  for (const auto& [name, value] : choices)
    if (name == text) return value;
  return std::nullopt;
}

/// The spelling of VALUE (empty when the table has none).
template <class T>
std::string_view spelling(std::span<const choice<T>> choices, const T& value) {
  for (const auto& [name, v] : choices)
    if (v == value) return name;
  return {};
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`: what a message says the choices are.
template <class T>
std::string either(std::span<const choice<T>> choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += "\"" + std::string(choices[i].first) + "\"";
  }
  return out;
}

}  // namespace headroom::common
