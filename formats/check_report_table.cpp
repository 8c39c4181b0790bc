#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>

#include "formats/check_report.hpp"

namespace headroom::formats {
namespace {

using domain::format_utc;

/// 1h05m, 35m, 42s, 2d03h: short enough for a column.
std::string short_duration(std::int64_t s) {
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
  return fmt::format("{}d{:02}h", s / 86400, s / 3600 % 24);
}

std::string job_list(const domain::fleet& f, const std::vector<domain::index_t>& jobs,
                     std::size_t shown) {
  std::string out = fmt::format("{:>5}", jobs.size());
  for (std::size_t i = 0; i < std::min(shown, jobs.size()); ++i)
    out += (i ? ", " : "  ") + f.jobs[jobs[i]].id;
  if (jobs.size() > shown) out += fmt::format(", … +{}", jobs.size() - shown);
  return out;
}

void windows_table(const check_result& r, const std::vector<domain::overload_window>& windows,
                   std::ostream& out) {
  const auto& f = r.fleet;
  if (windows.empty()) {
    out << "  none: every proxy stays at or under its threshold\n";
    return;
  }
  std::size_t proxy_width = 5;
  for (const auto& w : windows) proxy_width = std::max(proxy_width, f.proxies[w.proxy].id.size());
  fmt::print(out, "  {:<{}}  {:<20}  {:<20}  {:>7}  {:>9}  {:>5}  {}\n", "PROXY", proxy_width,
             "START (UTC)", "END (UTC)", "LENGTH", "PEAK/THR", "OVER", "JOBS");
  for (const auto& w : windows)
    fmt::print(out, "  {:<{}}  {:<20}  {:<20}  {:>7}  {:>9}  {:>5}  {}\n", f.proxies[w.proxy].id,
               proxy_width, format_utc(w.span.start), format_utc(w.span.end),
               short_duration(w.span.length()), fmt::format("{}/{}", w.peak, w.threshold),
               fmt::format("+{}", w.peak - w.threshold), job_list(f, w.jobs, 3));
}

void fleet_summary(const check_result& r, std::ostream& out) {
  const auto& f = r.fleet;
  const auto relayed =
      std::count_if(f.devices.begin(), f.devices.end(), [](const auto& d) { return d.relayed(); });
  fmt::print(out,
             "Fleet: {} devices ({} relayed) behind {} proxies; {} jobs ({} counted, {} ignored)\n",
             f.devices.size(), relayed, f.proxies.size(), f.jobs.size(),
             f.jobs.size() - r.counting.ignored.size(), r.counting.ignored.size());
  fmt::print(out, "Horizon: {} to {}\n", format_utc(r.horizon.start), format_utc(r.horizon.end));
  std::map<std::string, std::size_t> reasons;
  for (const auto& i : r.counting.ignored)
    ++reasons[i.reason.find("direct mode") != std::string::npos
                  ? "device in direct mode"
                  : "customer without software_distribution"];
  for (const auto& [reason, count] : reasons)
    fmt::print(out, "  ignored: {} jobs, {}\n", count, reason);
}

void adjustment_section(const check_result& r, std::ostream& out) {
  const auto& f = r.fleet;
  const auto& plan = *r.plan;
  constexpr std::size_t shown = 15;
  fmt::print(out, "\nAdjustment: {} movable jobs; {} moved, {} unschedulable (best order: {})\n",
             plan.movable.size(), plan.moved.size(), plan.unschedulable.size(),
             domain::to_string(plan.order));
  if (!plan.moved.empty()) {
    std::int64_t longest = 0;
    for (const auto& a : plan.moved) longest = std::max(longest, a.to - a.from);
    fmt::print(
        out, "  displacement: total {} (lower bound {}), mean {}, longest {}\n",
        short_duration(plan.total_displacement_s), short_duration(plan.displacement_lower_bound_s),
        short_duration(plan.total_displacement_s / static_cast<std::int64_t>(plan.moved.size())),
        short_duration(longest));
    fmt::print(out, "  {:<14}  {:<20}  {:<20}  {:>8}\n", "JOB", "FROM (UTC)", "TO (UTC)", "SHIFT");
    for (std::size_t i = 0; i < std::min(shown, plan.moved.size()); ++i) {
      const auto& a = plan.moved[i];
      fmt::print(out, "  {:<14}  {:<20}  {:<20}  {:>8}\n", f.jobs[a.job].id, format_utc(a.from),
                 format_utc(a.to), "+" + short_duration(a.to - a.from));
    }
    if (plan.moved.size() > shown)
      fmt::print(out, "  … and {} more (--json lists all)\n", plan.moved.size() - shown);
  }
  for (std::size_t i = 0; i < std::min(shown, plan.unschedulable.size()); ++i)
    fmt::print(out, "  unschedulable {}: {}\n", f.jobs[plan.unschedulable[i].job].id,
               plan.unschedulable[i].reason);
  if (plan.unschedulable.size() > shown)
    fmt::print(out, "  … and {} more unschedulable (--json lists all)\n",
               plan.unschedulable.size() - shown);
  fmt::print(out, "\nOverload windows after adjustment: {}\n", r.after->windows.size());
  windows_table(r, r.after->windows, out);
}

}  // namespace

void write_check_table(const check_result& r, std::ostream& out) {
  fleet_summary(r, out);
  std::vector<domain::index_t> proxies;
  for (const auto& w : r.before.windows) proxies.push_back(w.proxy);
  proxies.erase(std::unique(proxies.begin(), proxies.end()), proxies.end());
  fmt::print(out, "\nOverload windows: {} on {} of {} proxies\n", r.before.windows.size(),
             proxies.size(), r.fleet.proxies.size());
  windows_table(r, r.before.windows, out);
  if (r.plan) adjustment_section(r, out);
}

}  // namespace headroom::formats
