#pragma once

#include <string>

#include "domain/expected.hpp"
#include "domain/fleet.hpp"
#include "sim/results.hpp"
#include "sim/sim_config.hpp"

namespace headroom::sim {

struct report_options {
  int proxies = 12;  ///< Load charts: the proxies fullest as scheduled.
  /// `headroom sim --live`: measured through real relays at this many virtual seconds per
  /// real second (its times are real ones); 0: the virtual-time replay.
  std::int64_t live_speed = 0;
};

/// The report as one self-contained HTML page (inline CSS and SVG, no script, no network):
/// the fleet, the summary table, the load on the fullest proxies over one shared time axis,
/// the displacement of each strategy, and the rules with the knobs used.
std::string render_html_report(const domain::fleet& fleet, const simulation_result& result,
                               const sim_config& config, const report_options& options);

/// Writes render_html_report to DIR/index.html, creating DIR; returns that file's path.
domain::expected<std::string> write_html_report(const domain::fleet& fleet,
                                                const simulation_result& result,
                                                const sim_config& config,
                                                const report_options& options,
                                                const std::string& dir);

}  // namespace headroom::sim
