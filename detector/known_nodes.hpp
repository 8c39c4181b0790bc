#pragma once
// The proxy nodes a detector has heard from, kept in a SQLite file of its data dir
// (known_nodes.sqlite3) so that a restarted detector knows whom to wait for before it
// judges any proxy (the node registry's settle step, docs/detector.md).

#include <caf/expected.hpp>
#include <set>
#include <string>

namespace headroom::detector {

/// The node ids stored at PATH; none when the file does not exist yet. Fails with
/// detector_errc::storage naming the file when it cannot be read.
caf::expected<std::set<std::string>> read_known_nodes(const std::string& path);

/// Replaces what PATH holds with NODES, in one transaction (the file is created when
/// missing). Fails with detector_errc::storage naming the file.
caf::error write_known_nodes(const std::string& path, const std::set<std::string>& nodes);

}  // namespace headroom::detector
