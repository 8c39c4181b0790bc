#pragma once

// CurveZMQ keys: generation (`headroom keygen`), key files and the detector's
// allowlist of node public keys. Keys are Z85 text, 40 characters.
//
// A key file holds `public-key = "..."` and, for a key pair, `secret-key = "..."`
// lines; `#` starts a comment. An allowlist is any number of public-key lines
// (or bare keys), so `cat nodes/*.pub > allowlist` builds one.

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "domain/expected.hpp"

namespace headroom::bus {

struct curve_keypair {
  std::string public_key;  ///< Z85, 40 characters.
  std::string secret_key;  ///< Z85, 40 characters; empty in a public key file.
};

/// True when this libzmq was built with CurveZMQ.
bool curve_available();

/// A fresh key pair from libzmq (libsodium's randomness).
domain::expected<curve_keypair> generate_keypair();

/// Writes `<base>.key` (both keys, mode 0600) and `<base>.pub` (the public key);
/// refuses to overwrite existing files.
std::optional<domain::error> write_keypair_files(const curve_keypair& keys,
                                                 const std::filesystem::path& base);

/// Reads a key file; `need_secret` refuses one without a secret key.
domain::expected<curve_keypair> read_key_file(const std::filesystem::path& file, bool need_secret);

/// Reads an allowlist of node public keys.
domain::expected<std::set<std::string>> read_allowlist(const std::filesystem::path& file);

}  // namespace headroom::bus
