#pragma once

// Encoding half of the schema visitor (messages/schema.hpp). Internal to the codec.

#include <msgpack.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "messages/schema.hpp"

namespace headroom::messages::detail {

/// A msgpack output stream appending straight to a std::string (no extra copy).
struct string_stream {
  std::string* out;
  void write(const char* data, std::size_t size) { out->append(data, size); }
};

using packer = msgpack::packer<string_stream>;

struct field_counter {
  std::uint32_t count = 0;
  template <class T>
  void operator()(const char*, T&) {
    ++count;
  }
  template <class T>
  void operator()(const char*, T&, optional_field_t) {
    ++count;
  }
};

template <class T>
concept has_fields = requires(field_counter& f, T& x) {
  fields(f, x);
};

class field_writer {
 public:
  explicit field_writer(packer& pk) : pk_(pk) {}

  template <class T>
  void operator()(const char* name, T& value) {
    pk_.pack(std::string_view{name});
    write(value);
  }

  template <class T>
  void operator()(const char* name, T& value, optional_field_t) {
    (*this)(name, value);
  }

  void write(const std::string& s) { pk_.pack(s); }
  void write(domain::monitoring_mode m) { pk_.pack(std::string_view{to_string(m)}); }
  void write(session_outcome o) { pk_.pack(std::string_view{to_string(o)}); }

  template <class T>
  requires std::is_integral_v<T>
  void write(T v) { pk_.pack(v); }

  template <class T>
  void write(const std::vector<T>& items) {
    pk_.pack_array(static_cast<std::uint32_t>(items.size()));
    for (const auto& item : items) write(item);
  }

  template <has_fields T>
  void write(const T& record) {
    // fields() is shared with the decoder and so takes a mutable reference; it only reads here.
    auto& x = const_cast<T&>(record);
    field_counter counter;
    fields(counter, x);
    pk_.pack_map(counter.count);
    fields(*this, x);
  }

 private:
  packer& pk_;
};

}  // namespace headroom::messages::detail
