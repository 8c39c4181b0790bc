#pragma once
// libsodium behind small functions: hashes, random tokens, password hashing.

#include <optional>
#include <string>
#include <string_view>

namespace headroom::distribution {

/// Initialises libsodium; false when it cannot (no entropy source). Safe to call often.
bool crypto_ready();

/// SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

/// `bytes` random bytes as unpadded base64url text.
std::string random_token(std::size_t bytes);

/// Unpadded base64url and back.
std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view text);

/// Argon2id via crypto_pwhash_str (interactive limits); the result embeds salt and parameters.
/// nullopt when the memory it needs cannot be had.
std::optional<std::string> hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);

/// Compares two secrets in time that does not depend on where they differ.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace headroom::distribution
