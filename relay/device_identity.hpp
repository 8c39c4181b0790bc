#pragma once
// Which device a connection belongs to: the user name of `Proxy-Authorization: Basic`
// (its password checked when the operator turns auth on), else the configured
// address -> device map, else the client's address itself.

#include <optional>
#include <string>

#include "relay/http_error.hpp"
#include "relay/relay_config.hpp"

namespace headroom::relay {

/// Decodes standard base64 (with padding); nullopt on any invalid character or length.
std::optional<std::string> decode_base64(std::string_view text);

/// The device id, or 407 (credentials required or wrong) / 400 (malformed field).
http_result<std::string> identify_device(const std::optional<std::string>& proxy_authorization,
                                         const std::string& client_address,
                                         const relay_config& config);

}  // namespace headroom::relay
