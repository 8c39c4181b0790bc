#include "messages/codec.hpp"

#include <array>

#include "messages/field_reader.hpp"
#include "messages/field_writer.hpp"

namespace headroom::messages {
namespace detail {

const char* kind_name(const msgpack::object& o) {
  switch (o.type) {
    case msgpack::type::NIL:
      return "nil";
    case msgpack::type::BOOLEAN:
      return "a boolean";
    case msgpack::type::POSITIVE_INTEGER:
    case msgpack::type::NEGATIVE_INTEGER:
      return "an integer";
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      return "a float";
    case msgpack::type::STR:
      return "a string";
    case msgpack::type::BIN:
      return "binary";
    case msgpack::type::ARRAY:
      return "an array";
    case msgpack::type::MAP:
      return "a map";
    case msgpack::type::EXT:
      return "an extension";
  }
  return "an unknown kind";
}

failure read(const msgpack::object& o, const path& at, std::string& out) {
  if (o.type != msgpack::type::STR)
    return field_failure(at, std::string{"expected a string, got "} + kind_name(o));
  out.assign(o.via.str.ptr, o.via.str.size);
  return std::nullopt;
}

template <class E>
failure read_enum(const msgpack::object& o, const path& at, E& out,
                  std::optional<E> (*parse)(std::string_view), const char* expected) {
  std::string text;
  if (auto f = read(o, at, text)) return f;
  const auto parsed = parse(text);
  if (!parsed)
    return field_failure(at, "unknown value \"" + text + "\" (expected " + expected + ")");
  out = *parsed;
  return std::nullopt;
}

failure read(const msgpack::object& o, const path& at, domain::monitoring_mode& out) {
  return read_enum(o, at, out, domain::parse_monitoring_mode, "proxy or direct");
}

failure read(const msgpack::object& o, const path& at, session_outcome& out) {
  return read_enum(o, at, out, parse_session_outcome, "opened, closed or refused");
}

failure field_reader::check_keys() const {
  for (std::uint32_t i = 0; i < map_.size; ++i) {
    const auto& key = map_.ptr[i].key;
    if (key.type != msgpack::type::STR)
      return field_failure(
          at_, "key #" + std::to_string(i) + " is " + kind_name(key) + ", not a string");
    const std::string_view name{key.via.str.ptr, key.via.str.size};
    for (std::uint32_t j = 0; j < i; ++j) {
      const auto& earlier = map_.ptr[j].key;
      if (std::string_view{earlier.via.str.ptr, earlier.via.str.size} == name)
        return field_failure(at_, "duplicate field \"" + std::string{name} + "\"");
    }
  }
  return std::nullopt;
}

}  // namespace detail

namespace {

using detail::path;

// Strings stay in the caller's buffer while the object tree is read: no copies.
bool refer_to_buffer(msgpack::type::object_type, std::size_t, void*) { return true; }

/// Unpacks one msgpack value at `offset` under the limits into `zone`; exceptions stop here.
wire_result<msgpack::object> unpack_one(msgpack::zone& zone, std::string_view bytes,
                                        std::size_t& offset, const msgpack::unpack_limit& limit,
                                        const char* what) {
  try {
    return msgpack::unpack(zone, bytes.data(), bytes.size(), offset, refer_to_buffer, nullptr,
                           limit);
  } catch (const msgpack::insufficient_bytes&) {
    return wire_error{wire_fault::truncated, what, "ends inside a msgpack value"};
  } catch (const msgpack::size_overflow& e) {
    return wire_error{wire_fault::malformed, what,
                      std::string{"exceeds a decode limit: "} + e.what()};
  } catch (const msgpack::parse_error& e) {
    return wire_error{wire_fault::malformed, what, std::string{"not msgpack: "} + e.what()};
  } catch (const std::exception& e) {
    return wire_error{wire_fault::malformed, what, std::string{"cannot unpack: "} + e.what()};
  }
}

template <class T>
wire_result<std::uint64_t> envelope_integer(const msgpack::object& o, const char* field, T max) {
  if (o.type != msgpack::type::POSITIVE_INTEGER || o.via.u64 > static_cast<std::uint64_t>(max))
    return wire_error{
        wire_fault::bad_envelope, std::string{"envelope."} + field,
        "expected an integer in [0, " + std::to_string(static_cast<std::uint64_t>(max)) +
            "], got " +
            (o.type == msgpack::type::POSITIVE_INTEGER ? std::to_string(o.via.u64)
                                                       : std::string{detail::kind_name(o)})};
  return o.via.u64;
}

wire_result<envelope> read_envelope(const msgpack::object& o) {
  if (o.type != msgpack::type::ARRAY || o.via.array.size < 5)
    return wire_error{
        wire_fault::bad_envelope, "envelope",
        std::string{
            "expected an array of at least 5 elements [type, major, minor, sender, seq], got "} +
            (o.type == msgpack::type::ARRAY ? std::to_string(o.via.array.size) + " elements"
                                            : std::string{detail::kind_name(o)})};
  const auto* e = o.via.array.ptr;
  envelope env;
  auto major = envelope_integer(e[1], "major", std::numeric_limits<std::uint16_t>::max());
  if (!major) return major.failure();
  auto minor = envelope_integer(e[2], "minor", std::numeric_limits<std::uint16_t>::max());
  if (!minor) return minor.failure();
  env.major = static_cast<std::uint16_t>(*major);
  env.minor = static_cast<std::uint16_t>(*minor);
  // A newer major version may have changed anything, the type codes included: refuse it first.
  if (env.major != protocol_major)
    return wire_error{wire_fault::unsupported_version, "envelope.major",
                      "protocol " + std::to_string(env.major) + "." + std::to_string(env.minor) +
                          " is not supported (this peer speaks " + std::to_string(protocol_major) +
                          ".x)"};
  auto type = envelope_integer(e[0], "type", std::numeric_limits<std::uint8_t>::max());
  if (!type) return type.failure();
  if (*type == 0 || *type > message_type_count)
    return wire_error{wire_fault::unknown_type, "envelope.type",
                      "unknown message type " + std::to_string(*type)};
  env.type = static_cast<message_type>(*type);
  if (e[3].type != msgpack::type::STR)
    return wire_error{wire_fault::bad_envelope, "envelope.sender",
                      std::string{"expected a string, got "} + detail::kind_name(e[3])};
  env.sender.assign(e[3].via.str.ptr, e[3].via.str.size);
  auto seq = envelope_integer(e[4], "seq", std::numeric_limits<std::uint64_t>::max());
  if (!seq) return seq.failure();
  env.seq = *seq;
  return env;
}

template <std::size_t I>
wire_result<payload> read_alternative(const msgpack::object& o) {
  using T = std::variant_alternative_t<I, payload>;
  T value;
  const path root{nullptr, to_string(type_of<T>())};
  if (auto f = detail::read(o, root, value)) return std::move(*f);
  return payload{std::in_place_index<I>, std::move(value)};
}

wire_result<payload> read_payload(message_type type, const msgpack::object& o) {
  using reader = wire_result<payload> (*)(const msgpack::object&);
  static constexpr auto readers = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<reader, sizeof...(I)>{&read_alternative<I>...};
  }
  (std::make_index_sequence<std::variant_size_v<payload>>{});
  return readers[static_cast<std::size_t>(type) - 1](o);
}

}  // namespace

void encode(const envelope& env, const payload& body, std::string& out) {
  out.clear();
  out.reserve(256);  // most frames fit: one allocation instead of a growth series
  detail::string_stream stream{&out};
  detail::packer pk{stream};
  pk.pack_array(5);
  pk.pack(static_cast<std::uint8_t>(env.type));
  pk.pack(env.major);
  pk.pack(env.minor);
  pk.pack(env.sender);
  pk.pack(env.seq);
  detail::field_writer writer{pk};
  std::visit([&](const auto& value) { writer.write(value); }, body);
}

std::string encode(std::string_view sender, std::uint64_t seq, const payload& body) {
  std::string out;
  encode(envelope{type_of(body), protocol_major, protocol_minor, std::string{sender}, seq}, body,
         out);
  return out;
}

wire_result<frame> decode(std::string_view bytes, const decode_limits& limits) {
  if (bytes.size() > limits.max_frame_bytes)
    return wire_error{wire_fault::oversized, "frame",
                      std::to_string(bytes.size()) + " bytes exceed the limit of " +
                          std::to_string(limits.max_frame_bytes)};
  const msgpack::unpack_limit limit{
      limits.max_array_items, limits.max_map_pairs, limits.max_string_bytes, 0, 0,
      limits.max_depth};
  // One zone per thread, cleared per frame: decoding allocates only what it returns.
  thread_local msgpack::zone zone;
  zone.clear();
  std::size_t offset = 0;
  auto head = unpack_one(zone, bytes, offset, limit, "envelope");
  if (!head) return head.failure();
  auto env = read_envelope(*head);
  if (!env) return env.failure();
  auto body_object = unpack_one(zone, bytes, offset, limit, to_string(env->type));
  if (!body_object) return body_object.failure();
  if (offset != bytes.size())
    return wire_error{wire_fault::trailing_bytes, "frame",
                      std::to_string(bytes.size() - offset) + " bytes after the payload"};
  auto body = read_payload(env->type, *body_object);
  if (!body) return body.failure();
  return frame{std::move(*env), std::move(*body)};
}

}  // namespace headroom::messages
