#include "bus/curve.hpp"

#include <sys/stat.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>

namespace headroom::bus {
namespace {

constexpr std::size_t z85_key_length = 40;

bool is_z85_key(std::string_view text) {
  if (text.size() != z85_key_length) return false;
  std::uint8_t decoded[32];
  const std::string copy{text};
  return zmq_z85_decode(decoded, copy.c_str()) != nullptr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

struct key_line {
  std::string name;  ///< "public-key", "secret-key", or empty for a bare key.
  std::string key;
};

/// Parses `name = "KEY"` or a bare `KEY`; nullopt for blank and comment lines.
std::optional<domain::expected<key_line>> parse_key_line(std::string_view line) {
  line = trim(line);
  key_line parsed;
  // Z85 uses '#' and '=' too: a line that is exactly a key is a bare key.
  if (is_z85_key(line)) {
    parsed.key = std::string{line};
    return domain::expected<key_line>{std::move(parsed)};
  }
  if (line.empty() || line.front() == '#') return std::nullopt;
  const auto eq = line.find('=');
  std::string_view value = line;
  if (eq != std::string_view::npos) {
    parsed.name = std::string{trim(line.substr(0, eq))};
    value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (parsed.name != "public-key" && parsed.name != "secret-key")
      return domain::expected<key_line>{domain::error{"", "unknown entry \"" + parsed.name + "\""}};
  }
  if (!is_z85_key(value))
    return domain::expected<key_line>{domain::error{"", "not a Z85 CurveZMQ key (40 characters)"}};
  parsed.key = std::string{value};
  return domain::expected<key_line>{std::move(parsed)};
}

template <class F>
std::optional<domain::error> for_each_key_line(const std::filesystem::path& file, F on_line) {
  std::ifstream in(file);
  if (!in) return domain::error{file.string(), "cannot open"};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto parsed = parse_key_line(line);
    if (!parsed) continue;
    const auto where = file.string() + ":" + std::to_string(number);
    if (!*parsed) return domain::error{where, parsed->failure().what};
    if (auto failure = on_line(**parsed)) return domain::error{where, *failure};
  }
  return std::nullopt;
}

}  // namespace

bool curve_available() { return zmq_has("curve") == 1; }

domain::expected<curve_keypair> generate_keypair() {
  if (!curve_available()) return domain::error{"", "this libzmq was built without CurveZMQ"};
  char public_key[z85_key_length + 1];
  char secret_key[z85_key_length + 1];
  if (zmq_curve_keypair(public_key, secret_key) != 0)
    return domain::error{"", std::string{"zmq_curve_keypair: "} + zmq_strerror(zmq_errno())};
  return curve_keypair{public_key, secret_key};
}

std::optional<domain::error> write_keypair_files(const curve_keypair& keys,
                                                 const std::filesystem::path& base) {
  const auto secret_file = std::filesystem::path{base.string() + ".key"};
  const auto public_file = std::filesystem::path{base.string() + ".pub"};
  for (const auto& file : {secret_file, public_file})
    if (std::filesystem::exists(file))
      return domain::error{file.string(), "exists; not overwriting a key"};
  {
    // Create the secret file private from the start rather than chmod-ing it afterwards.
    const auto old_mask = ::umask(0077);
    std::ofstream out(secret_file);
    ::umask(old_mask);
    out << "# Headroom CurveZMQ key pair: keep this file secret.\n"
        << "public-key = \"" << keys.public_key << "\"\n"
        << "secret-key = \"" << keys.secret_key << "\"\n";
    if (!out.flush())
      return domain::error{secret_file.string(),
                           std::string{"cannot write: "} + std::strerror(errno)};
  }
  std::ofstream out(public_file);
  out << "public-key = \"" << keys.public_key << "\"\n";
  if (!out.flush())
    return domain::error{public_file.string(),
                         std::string{"cannot write: "} + std::strerror(errno)};
  return std::nullopt;
}

domain::expected<curve_keypair> read_key_file(const std::filesystem::path& file, bool need_secret) {
  curve_keypair keys;
  auto failure = for_each_key_line(file, [&](const key_line& line) -> std::optional<std::string> {
    auto& slot = line.name == "secret-key" ? keys.secret_key : keys.public_key;
    if (!slot.empty())
      return "a second " + (line.name.empty() ? std::string{"public-key"} : line.name);
    slot = line.key;
    return std::nullopt;
  });
  if (failure) return *failure;
  if (keys.public_key.empty()) return domain::error{file.string(), "no public-key"};
  if (need_secret && keys.secret_key.empty()) return domain::error{file.string(), "no secret-key"};
  return keys;
}

domain::expected<std::set<std::string>> read_allowlist(const std::filesystem::path& file) {
  std::set<std::string> keys;
  auto failure = for_each_key_line(file, [&](const key_line& line) -> std::optional<std::string> {
    if (line.name == "secret-key") return "a secret key does not belong in an allowlist";
    keys.insert(line.key);
    return std::nullopt;
  });
  if (failure) return *failure;
  return keys;
}

}  // namespace headroom::bus
