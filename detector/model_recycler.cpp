#include "detector/model_recycler.hpp"

#include <algorithm>

namespace headroom::detector {
namespace {

/// More kept models would hold memory for holders that rarely lag this far behind.
constexpr std::size_t most_kept = 4;

}  // namespace

std::shared_ptr<detector_model> model_recycler::copy_of(const detector_model& current) {
  if (kept_.size() < 2) return std::make_shared<detector_model>(current);
  // The oldest model nobody else holds is the one the most holders have left behind; the
  // last kept is `current` itself.
  const auto last = std::prev(kept_.end());
  auto free = std::find_if(kept_.begin(), last, [](const auto& m) { return m.use_count() == 1; });
  if (free == last) return std::make_shared<detector_model>(current);

  auto out = std::move(*free);
  auto& jobs = out->fleet.jobs;
  const auto& now = current.fleet.jobs;
  // Every model after it is an increment, so their changed jobs are all it lacks.
  for (auto later = std::next(free); later != kept_.end(); ++later)
    for (auto j : (*later)->changed_jobs)
      if (j < jobs.size()) jobs[j] = now[j];
  jobs.insert(jobs.end(), now.begin() + static_cast<std::ptrdiff_t>(jobs.size()), now.end());
  out->counting.job_counts = current.counting.job_counts;
  out->job_versions = current.job_versions;
  out->neighbourhoods = current.neighbourhoods;
  kept_.erase(kept_.begin(), std::next(free));
  return out;
}

void model_recycler::keep(std::shared_ptr<detector_model> published) {
  if (published->full) kept_.clear();
  kept_.push_back(std::move(published));
  while (kept_.size() > most_kept) kept_.pop_front();
}

}  // namespace headroom::detector
