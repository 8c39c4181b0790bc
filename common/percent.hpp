#pragma once
// Hex digits and percent coding (RFC 3986): request targets and forms, the package name
// in a download's URL path, the distribution client's query values, byte strings in logs.

#include <optional>
#include <string>
#include <string_view>

namespace headroom::common {

/// The value of one hex digit (either case), or -1.
int hex_value(char c);

/// Two lowercase hex digits per byte.
std::string hex_encode(std::string_view bytes);

/// Decodes `%XX` escapes (and `+` as a space when PLUS_IS_SPACE, as in a form);
/// nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

/// Escapes every byte but the unreserved characters (letters, digits, `-._~`).
std::string percent_encode(std::string_view text);

}  // namespace headroom::common
