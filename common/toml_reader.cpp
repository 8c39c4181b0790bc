#include "common/toml_reader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

namespace headroom::common {

struct toml_section::state {
  std::string path;
  std::string role;
  toml::table root;
  /// Section -> the keys read from it.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> known;
  struct found {
    std::uint32_t line = 0;
    domain::error error;
  };
  std::vector<found> errors;

  /// KEY's error WHAT, placed at NODE's line.
  [[nodiscard]] found at(std::string key, const toml::node& node, const std::string& what) const {
    if (key.empty()) key = "\"\"";  // TOML's empty key (`"" = 1`), named as it is written
    const auto line = node.source().begin.line;
    return {line, {std::move(key), what + " (" + path + ", line " + std::to_string(line) + ")"}};
  }
  void fail(std::string key, const toml::node& node, const std::string& what) {
    errors.push_back(at(std::move(key), node, what));
  }
};

namespace {

using state = toml_section::state;

// The value of KEY in section NAME, marking the key known; null when either is absent.
const toml::node* find(state& file, const std::string& name, std::string_view key) {
  file.known[name].emplace(key);
  const auto* section = file.root.get_as<toml::table>(name);
  return section ? section->get(key) : nullptr;
}

}  // namespace

void toml_section::refuse(std::string_view key, std::string what) {
  const auto* node = find(*file_, name_, key);
  if (node) file_->fail(name_ + "." + std::string(key), *node, std::move(what));
}

namespace {

// A scalar the node holds when it ACCEPTS it; otherwise WHY is the key's error.
template <class T, class Accepts>
bool take_scalar(toml_section& section, const toml::node* node, std::string_view key, T& out,
                 Accepts accepts, const char* why) {
  if (!node) return false;
  if (!accepts(*node)) {
    section.refuse(key, why);
    return false;
  }
  out = *node->value<T>();
  return true;
}

}  // namespace

bool toml_section::read(std::string_view key, std::string& out) {
  return take_scalar(
      *this, find(*file_, name_, key), key, out, [](const toml::node& n) { return n.is_string(); },
      "must be a string");
}

bool toml_section::read(std::string_view key, bool& out) {
  return take_scalar(
      *this, find(*file_, name_, key), key, out, [](const toml::node& n) { return n.is_boolean(); },
      "must be true or false");
}

bool toml_section::read(std::string_view key, double& out) {
  return take_scalar(
      *this, find(*file_, name_, key), key, out, [](const toml::node& n) { return n.is_number(); },
      "must be a number");
}

bool toml_section::read(std::string_view key, std::vector<std::string>& out) {
  const auto* node = find(*file_, name_, key);
  if (!node) return false;
  const auto* array = node->as_array();
  const auto strings = [](const toml::array& a) {
    return std::all_of(a.begin(), a.end(), [](const toml::node& n) { return n.is_string(); });
  };
  if (!array || !strings(*array)) {
    refuse(key, "must be an array of strings");
    return false;
  }
  out.clear();
  for (const auto& item : *array) out.push_back(*item.value<std::string>());
  return true;
}

bool toml_section::read(std::string_view key, std::map<std::string, std::string>& out) {
  const auto* node = find(*file_, name_, key);
  if (!node) return false;
  const auto* table = node->as_table();
  if (!table) {
    refuse(key, "must be a table of strings");
    return false;
  }
  std::map<std::string, std::string> values;
  bool ok = true;
  for (const auto& [k, v] : *table) {
    if (auto s = v.value<std::string>(); s && v.is_string()) {
      values.emplace(std::string(k.str()), std::move(*s));
    } else {
      file_->fail(name_ + "." + std::string(key) + "." + std::string(k.str()), v,
                  "must be a string");
      ok = false;
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

std::optional<std::int64_t> toml_section::integer(std::string_view key, std::int64_t min,
                                                  std::int64_t max, bool milliseconds) {
  const auto* node = find(*file_, name_, key);
  if (!node) return std::nullopt;
  const char* unit = milliseconds ? " milliseconds" : "";
  if (!node->is_integer()) {
    refuse(key, milliseconds ? "must be a whole number of milliseconds" : "must be an integer");
    return std::nullopt;
  }
  const auto value = *node->value<std::int64_t>();
  if (value < min || value > max) {
    refuse(key, "must be from " + std::to_string(min) + " to " + std::to_string(max) + unit +
                    ", not " + std::to_string(value));
    return std::nullopt;
  }
  return value;
}

domain::expected<toml_reader> toml_reader::open(const std::string& path, std::string role) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return domain::error{path, "could not be opened for reading"};
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse(text, path, std::move(role));
}

domain::expected<toml_reader> toml_reader::parse(std::string_view text, const std::string& source,
                                                 std::string role) {
  auto file = std::make_unique<state>();
  file->path = source;
  file->role = std::move(role);
  try {
    file->root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return domain::error{source + ":" + std::to_string(at.line) + ":" + std::to_string(at.column),
                         std::string(e.description())};
  }
  return toml_reader(std::move(file));
}

toml_reader::toml_reader(std::unique_ptr<toml_section::state> state) : state_(std::move(state)) {}
toml_reader::toml_reader(toml_reader&&) noexcept = default;
toml_reader& toml_reader::operator=(toml_reader&&) noexcept = default;
toml_reader::~toml_reader() = default;

toml_section toml_reader::section(std::string name) {
  state_->known.try_emplace(name);
  return toml_section(*state_, std::move(name));
}

std::optional<domain::error> toml_reader::finish() const {
  auto& file = *state_;
  auto errors = file.errors;
  const auto fail = [&](std::string key, const toml::node& node, const std::string& what) {
    errors.push_back(file.at(std::move(key), node, what));
  };
  for (const auto& [name, node] : file.root) {
    const std::string section(name.str());
    const auto known = file.known.find(section);
    if (known == file.known.end()) {
      fail(section, node, "is not a " + file.role + " section");
    } else if (const auto* table = node.as_table(); !table) {
      fail(section, node, "must be a table: [" + section + "]");
    } else {
      for (const auto& [key, value] : *table)
        if (!known->second.count(key.str()))
          fail(section + "." + std::string(key.str()), value, "is not a " + file.role + " setting");
    }
  }
  if (errors.empty()) return std::nullopt;
  return std::min_element(errors.begin(), errors.end(),
                          [](const auto& a, const auto& b) { return a.line < b.line; })
      ->error;
}

}  // namespace headroom::common
