#include "relay/device_identity.hpp"

#include <array>

#include "relay/ascii.hpp"

namespace headroom::relay {
namespace {

http_error unauthorized(std::string what) {
  return {407, relay::refusal_reason::unauthorized, std::move(what)};
}

// Compares without an early exit so the time taken does not reveal the matching prefix.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::array<int, 4> v{};
    int padding = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[static_cast<std::size_t>(k)] = 0;
        ++padding;
      } else if (padding > 0 || (v[static_cast<std::size_t>(k)] = value(c)) < 0) {
        return std::nullopt;
      }
    }
    auto triple = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>((triple >> 16) & 0xff));
    if (padding < 2) out.push_back(static_cast<char>((triple >> 8) & 0xff));
    if (padding < 1) out.push_back(static_cast<char>(triple & 0xff));
  }
  return out;
}

http_result<std::string> identify_device(const std::optional<std::string>& proxy_authorization,
                                         const std::string& client_address,
                                         const relay_config& config) {
  if (!proxy_authorization) {
    if (config.auth) return unauthorized("no Proxy-Authorization");
    if (auto it = config.devices.find(client_address); it != config.devices.end())
      return it->second;
    return client_address;
  }
  std::string_view field = *proxy_authorization;
  constexpr std::string_view scheme = "basic ";
  bool basic = field.size() > scheme.size() && iequals(field.substr(0, scheme.size()), scheme);
  if (!basic) return unauthorized("Proxy-Authorization is not Basic");
  auto decoded = decode_base64(field.substr(scheme.size()));
  if (!decoded) return bad_request("Proxy-Authorization is not valid base64");
  auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0)
    return unauthorized("Proxy-Authorization has no 'device:password'");
  auto device = decoded->substr(0, colon);
  for (char c : device)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return bad_request("control character in the proxy user name");
  if (config.auth) {
    auto it = config.credentials.find(device);
    if (it == config.credentials.end() || !same_secret(decoded->substr(colon + 1), it->second))
      return unauthorized("wrong credentials for device '" + device + "'");
  }
  return device;
}

}  // namespace headroom::relay
