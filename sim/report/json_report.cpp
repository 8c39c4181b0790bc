#include "sim/report/json_report.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

namespace headroom::sim {
namespace {

using json = nlohmann::ordered_json;

json proxies_json(const domain::fleet& fleet, const strategy_result& s) {
  std::vector<std::size_t> order(fleet.proxies.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](auto a, auto b) { return fleet.proxies[a].id < fleet.proxies[b].id; });
  json out = json::array();
  for (auto p : order) {
    const auto& proxy = fleet.proxies[p];
    out.push_back({{"proxy", proxy.id},
                   {"peak", p < s.peak.size() ? s.peak[p] : 0},
                   {"capacity", proxy.capacity},
                   {"threshold", proxy.threshold}});
  }
  return out;
}

json strategy_json(const domain::fleet& fleet, const strategy_result& s) {
  return {
      {"strategy", to_string(s.which)},
      {"jobs", s.jobs},
      {"succeeded", s.succeeded},
      {"failed", s.failed},
      {"late", s.late},
      {"unschedulable", s.unschedulable},
      {"refusals", s.refusals},
      {"service_refusals", s.service_refusals},
      {"makespan_s", s.makespan_s},
      {"makespan_lower_bound_s", s.makespan_lower_bound_s},
      {"displacement_s",
       {{"mean", s.displacement.mean}, {"p95", s.displacement.p95}, {"max", s.displacement.max}}},
      {"proxies", proxies_json(fleet, s)}};
}

}  // namespace

void write_json(const domain::fleet& fleet, const simulation_result& result, std::ostream& out) {
  const auto& f = result.fleet;
  json strategies = json::array();
  for (const auto& s : result.strategies) strategies.push_back(strategy_json(fleet, s));
  const json report = {{"fleet",
                        {{"devices", f.devices},
                         {"proxies", f.proxies},
                         {"jobs", f.jobs},
                         {"ignored_jobs", f.ignored_jobs},
                         {"service_occurrences", f.service_occurrences}}},
                       {"strategies", std::move(strategies)}};
  // An id that is not UTF-8 must not throw out of a writer: it is written with U+FFFD.
  out << report.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace headroom::sim
