#pragma once
// The models the builder publishes stay in memory while a load detector or a message in
// flight holds them. Once the last holder lets go, the model of two increments ago can be
// brought up to date with the few jobs changed since, instead of copying the whole fleet
// for every increment and freeing the old copy: an increment then costs what it changes.

#include <deque>
#include <memory>

#include "detector/detector_values.hpp"

namespace headroom::detector {

class model_recycler {
 public:
  /// A model equal to `current` in everything an increment keeps (fleet, counting,
  /// versions, neighbourhoods); generation, full, changed_jobs and fetched_at are left
  /// for the caller to set. `current` must be the model kept last.
  std::shared_ptr<detector_model> copy_of(const detector_model& current);

  /// Keeps `published` for reuse: a full model replaces every kept one, an increment
  /// follows the model kept last.
  void keep(std::shared_ptr<detector_model> published);

  /// Models kept, for tests.
  [[nodiscard]] std::size_t kept() const { return kept_.size(); }

 private:
  /// Consecutive generations, oldest first; the last is the builder's current model.
  std::deque<std::shared_ptr<detector_model>> kept_;
};

}  // namespace headroom::detector
