#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "domain/fleet.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

/// The summary's columns, shared by the text table and the HTML report.
inline constexpr std::array<std::string_view, 15> summary_headers{
    "STRATEGY",      "JOBS",      "SUCCEEDED",   "FAILED",     "LATE",
    "UNSCHEDULABLE", "REFUSALS",  "SERVICE REF", "MAKESPAN",   "LOWER BOUND",
    "DISPL MEAN",    "DISPL P95", "DISPL MAX",   "WORST PEAK", "WALL"};

using summary_row = std::array<std::string, summary_headers.size()>;

/// One row per strategy, in the order run, as the table prints them. The fleet gives the
/// capacities that the worst peak is a share of.
std::vector<summary_row> summary_rows(const domain::fleet& fleet, const simulation_result& result);

/// A fixed-width table for a terminal, one row per strategy.
void write_table(const domain::fleet& fleet, const simulation_result& result, std::ostream& out);

/// "2d 03:10:00", "03:10:00": a length of time a person reads at a glance.
std::string human_duration(std::int64_t seconds);

/// The proxy whose peak is the largest share of its capacity (ties: the smaller id), or
/// nullopt without proxies.
std::optional<domain::index_t> worst_proxy(const domain::fleet& fleet, const strategy_result& s);

}  // namespace headroom::sim
