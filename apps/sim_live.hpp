#pragma once
// `headroom sim --live`: the strategies played by real device clients through real relays
// (docs/simulation.md, "Live"), reported as the virtual-time replay reports.

#include <string>
#include <vector>

#include "actors/sim/live_run.hpp"
#include "domain/fleet.hpp"
#include "sim/report/html_report.hpp"
#include "sim/sim_config.hpp"

namespace headroom::apps {

struct live_outputs {
  std::string json;
  std::string outcomes;
  std::string report;
  sim::report_options report_options;
};

/// Runs every strategy of `config` live on `fleet`, one after the other; 0 when all ran.
int run_sim_live(const domain::fleet& fleet, const sim::sim_config& config, sim::live_config live,
                 const live_outputs& outputs);

}  // namespace headroom::apps
