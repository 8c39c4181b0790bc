#pragma once

// Decoding half of the schema visitor (messages/schema.hpp). Internal to the codec.
// Reads a msgpack object tree that was unpacked under limits; every mismatch
// becomes a wire_error naming the field path. The path is only rendered on failure.

#include <limits>
#include <msgpack.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "messages/field_writer.hpp"
#include "messages/names.hpp"
#include "messages/wire_error.hpp"

namespace headroom::messages::detail {

/// One step of a field path: a field name or an array index.
struct path {
  const path* parent = nullptr;
  const char* name = nullptr;
  std::size_t index = 0;

  [[nodiscard]] std::string render() const {
    std::string prefix = parent ? parent->render() : std::string{};
    if (name) return prefix.empty() ? std::string{name} : prefix + "." + name;
    return prefix + "[" + std::to_string(index) + "]";
  }
};

const char* kind_name(const msgpack::object& o);

using failure = std::optional<wire_error>;

inline failure field_failure(const path& at, std::string what) {
  return wire_error{wire_fault::bad_field, at.render(), std::move(what)};
}

failure read(const msgpack::object& o, const path& at, std::string& out);
failure read(const msgpack::object& o, const path& at, domain::monitoring_mode& out);
failure read(const msgpack::object& o, const path& at, session_outcome& out);

template <class T>
requires std::is_integral_v<T> failure read(const msgpack::object& o, const path& at, T& out) {
  if (o.type == msgpack::type::POSITIVE_INTEGER && std::in_range<T>(o.via.u64)) {
    out = static_cast<T>(o.via.u64);
    return std::nullopt;
  }
  if (o.type == msgpack::type::NEGATIVE_INTEGER && std::in_range<T>(o.via.i64)) {
    out = static_cast<T>(o.via.i64);
    return std::nullopt;
  }
  if (o.type == msgpack::type::POSITIVE_INTEGER || o.type == msgpack::type::NEGATIVE_INTEGER)
    return field_failure(at, "integer out of range [" +
                                 std::to_string(std::numeric_limits<T>::min()) + ", " +
                                 std::to_string(std::numeric_limits<T>::max()) + "]");
  return field_failure(at, std::string{"expected an integer, got "} + kind_name(o));
}

template <class T>
failure read(const msgpack::object& o, const path& at, std::vector<T>& out);

template <has_fields T>
failure read(const msgpack::object& o, const path& at, T& out);

/// Visits a record's fields against a msgpack map, stopping at the first failure.
class field_reader {
 public:
  field_reader(const msgpack::object_map& map, const path& at) : map_(map), at_(at) {}

  template <class T>
  void operator()(const char* name, T& value) {
    if (error) return;
    const path here{&at_, name};
    const msgpack::object* found = find(name);
    if (!found) {
      error = field_failure(here, "missing");
      return;
    }
    error = read(*found, here, value);
  }

  /// A field added after 1.0: a frame without it keeps the default.
  template <class T>
  void operator()(const char* name, T& value, optional_field_t) {
    if (error) return;
    const path here{&at_, name};
    if (const msgpack::object* found = find(name)) error = read(*found, here, value);
  }

  /// Keys must be unique strings; unknown keys are ignored (a newer peer's fields).
  failure check_keys() const;

  failure error;

 private:
  [[nodiscard]] const msgpack::object* find(std::string_view name) const {
    for (std::uint32_t i = 0; i < map_.size; ++i) {
      const auto& key = map_.ptr[i].key;
      if (key.type == msgpack::type::STR &&
          std::string_view{key.via.str.ptr, key.via.str.size} == name)
        return &map_.ptr[i].val;
    }
    return nullptr;
  }

  const msgpack::object_map& map_;
  const path& at_;
};

template <class T>
failure read(const msgpack::object& o, const path& at, std::vector<T>& out) {
  if (o.type != msgpack::type::ARRAY)
    return field_failure(at, std::string{"expected an array, got "} + kind_name(o));
  out.clear();
  out.resize(o.via.array.size);
  for (std::uint32_t i = 0; i < o.via.array.size; ++i) {
    const path item{&at, nullptr, i};
    if (auto f = read(o.via.array.ptr[i], item, out[i])) return f;
  }
  return std::nullopt;
}

template <has_fields T>
failure read(const msgpack::object& o, const path& at, T& out) {
  if (o.type != msgpack::type::MAP)
    return field_failure(at, std::string{"expected a map, got "} + kind_name(o));
  field_reader reader{o.via.map, at};
  if (auto f = reader.check_keys()) return f;
  fields(reader, out);
  return std::move(reader.error);
}

}  // namespace headroom::messages::detail
