#pragma once

#include <optional>
#include <ostream>

#include "domain/adjuster.hpp"
#include "domain/counting.hpp"
#include "domain/detection.hpp"
#include "domain/fleet.hpp"

namespace headroom::formats {

/// What `headroom check` found on a fleet, and the adjustment when it was asked for.
struct check_result {
  const domain::fleet& fleet;
  const domain::counting& counting;
  domain::interval horizon;
  domain::detection before;
  std::optional<domain::adjustment_plan> plan;
  std::optional<domain::detection> after;  ///< Under plan->starts.
};

/// The machine-readable report (docs/fleet-file.md, "check output").
void write_check_json(const check_result& r, std::ostream& out);

/// The report for a person: per proxy its windows, peak against threshold, jobs;
/// with an adjustment, what moved, how far, and what could not be placed.
void write_check_table(const check_result& r, std::ostream& out);

}  // namespace headroom::formats
