#pragma once
// The request documents of notifications and adjustments, read strictly (docs/api.md).
// The pages reuse them: a warning's suggested adjustment is applied as it was sent.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "distribution/failure.hpp"
#include "distribution/store/store.hpp"

namespace headroom::distribution {

/// One overload window as a detector reports it.
struct reported_window {
  instant start = 0;
  instant end = 0;
  std::int32_t peak = 0;
  std::int32_t threshold = 0;
  std::vector<std::string> jobs;
};

struct adjustment_input {
  std::string source = "api";  ///< Who proposes it: a detector id, or "api".
  std::vector<job_move> moves;
};

/// Validates a notification document; the result keeps its canonical text.
domain::expected<notification_input, failure> read_notification(const nlohmann::json& doc);

/// The windows of a notification document already validated by read_notification.
std::vector<reported_window> windows_of(const nlohmann::json& doc);

/// Validates an adjustment document `{"source"?, "moves": [{job, from, to, version}]}`.
domain::expected<adjustment_input, failure> read_adjustment(const nlohmann::json& doc);

}  // namespace headroom::distribution
