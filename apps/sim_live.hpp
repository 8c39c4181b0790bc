#pragma once
// `headroom sim --live`: the strategies played by real device clients through real relays
// (docs/simulation.md, "Live"), reported as the virtual-time replay reports.

#include <ostream>
#include <string>
#include <vector>

#include "actors/sim/live_run.hpp"
#include "domain/fleet.hpp"
#include "sim/report/html_report.hpp"
#include "sim/sim_config.hpp"

namespace headroom::apps {

/// Where the results go: the files already opened (none when not asked), the report's
/// directory (created; empty when not asked).
struct live_outputs {
  std::ostream* json = nullptr;
  std::ostream* outcomes = nullptr;
  std::string report;
  sim::report_options report_options;
};

/// Runs every strategy of `config` live on `fleet`, one after the other; 0 when all ran.
int run_sim_live(const domain::fleet& fleet, const sim::sim_config& config, sim::live_config live,
                 const live_outputs& outputs);

}  // namespace headroom::apps
