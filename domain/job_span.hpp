#pragma once
// The implied horizon from a summary of the jobs, for a store that keeps the summary at
// hand instead of loading every job (defined in fleet.cpp, beside effective_horizon).

#include <optional>

#include "domain/time.hpp"

namespace headroom::domain {

/// What the implied horizon reads of a fleet's jobs (at least one).
struct job_span {
  instant earliest_start = 0;
  instant latest_end = 0;
  std::optional<instant> latest_deadline;  ///< None when no job has a deadline.
};

/// effective_horizon of a fleet declaring `declared` whose jobs span `jobs`.
interval effective_horizon(const std::optional<interval>& declared, const job_span& jobs);

}  // namespace headroom::domain
