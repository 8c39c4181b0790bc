#include "detector/window_records.hpp"

#include <algorithm>

namespace headroom::detector {

std::vector<distribution_api::window_record> window_records(
    const domain::fleet& f, const std::vector<domain::overload_window>& windows) {
  std::vector<distribution_api::window_record> out;
  out.reserve(windows.size());
  for (const auto& w : windows) {
    distribution_api::window_record r{w.span.start, w.span.end, w.peak, w.threshold, {}};
    r.jobs.reserve(w.jobs.size());
    for (domain::index_t j : w.jobs) r.jobs.push_back(f.jobs[j].id);
    std::sort(r.jobs.begin(), r.jobs.end());  // By id, as detect() lists them.
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace headroom::detector
