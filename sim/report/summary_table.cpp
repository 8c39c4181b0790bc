#include "sim/report/summary_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace headroom::sim {
namespace {

std::int32_t peak_of(const strategy_result& s, std::size_t proxy) {
  return proxy < s.peak.size() ? s.peak[proxy] : 0;
}

/// a's peak is a larger share of its capacity than b's; exact, in integers.
bool fuller(const domain::fleet& fleet, const strategy_result& s, std::size_t a, std::size_t b) {
  const std::int64_t cap_a = std::max(fleet.proxies[a].capacity, 1);
  const std::int64_t cap_b = std::max(fleet.proxies[b].capacity, 1);
  const auto lhs = peak_of(s, a) * cap_b;
  const auto rhs = peak_of(s, b) * cap_a;
  if (lhs != rhs) return lhs > rhs;
  return fleet.proxies[a].id < fleet.proxies[b].id;
}

std::string worst_peak_cell(const domain::fleet& fleet, const strategy_result& s) {
  const auto worst = worst_proxy(fleet, s);
  if (!worst) return "-";
  const auto& proxy = fleet.proxies[*worst];
  const double share = 100.0 * peak_of(s, *worst) / std::max(proxy.capacity, 1);
  return fmt::format("{:.0f}% {}", share, proxy.id);
}

}  // namespace

std::string human_duration(std::int64_t seconds) {
  const bool negative = seconds < 0;
  auto s = negative ? -seconds : seconds;
  const auto days = s / domain::seconds_per_day;
  s %= domain::seconds_per_day;
  auto clock = fmt::format("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  if (days > 0) clock = fmt::format("{}d {}", days, clock);
  return negative ? "-" + clock : clock;
}

std::optional<domain::index_t> worst_proxy(const domain::fleet& fleet, const strategy_result& s) {
  if (fleet.proxies.empty()) return std::nullopt;
  std::size_t worst = 0;
  for (std::size_t p = 1; p < fleet.proxies.size(); ++p)
    if (fuller(fleet, s, p, worst)) worst = p;
  return static_cast<domain::index_t>(worst);
}

std::vector<summary_row> summary_rows(const domain::fleet& fleet, const simulation_result& result) {
  std::vector<summary_row> rows;
  for (const auto& s : result.strategies) {
    rows.push_back({std::string(to_string(s.which)), std::to_string(s.jobs),
                    std::to_string(s.succeeded), std::to_string(s.failed), std::to_string(s.late),
                    std::to_string(s.unschedulable), std::to_string(s.refusals),
                    std::to_string(s.service_refusals), human_duration(s.makespan_s),
                    human_duration(s.makespan_lower_bound_s),
                    human_duration(std::llround(s.displacement.mean)),
                    human_duration(s.displacement.p95), human_duration(s.displacement.max),
                    worst_peak_cell(fleet, s), fmt::format("{:.2f} s", s.wall_s)});
  }
  return rows;
}

void write_table(const domain::fleet& fleet, const simulation_result& result, std::ostream& out) {
  const auto rows = summary_rows(fleet, result);
  std::array<std::size_t, summary_headers.size()> width{};
  for (std::size_t c = 0; c < width.size(); ++c) {
    width[c] = summary_headers[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  // The strategy and the worst proxy are names: left-aligned; the rest are quantities.
  const auto left = [](std::size_t c) { return c == 0 || c == 13; };
  const auto print_row = [&](const auto& cells) {
    std::string line;
    for (std::size_t c = 0; c < width.size(); ++c) {
      if (c > 0) line += "  ";
      line += left(c) ? fmt::format("{:<{}}", cells[c], width[c])
                      : fmt::format("{:>{}}", cells[c], width[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  print_row(summary_headers);
  for (const auto& row : rows) print_row(row);
}

}  // namespace headroom::sim
