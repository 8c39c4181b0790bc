#pragma once
// The progress bar of `headroom sim` on stderr: on a terminal, one line per strategy
// redrawn a few times a second (jobs finished, virtual time reached); elsewhere (a log, a
// pipe), one line per strategy when it ends.

#include <ostream>
#include <thread>
#include <vector>

#include "sim/progress.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

class progress_bar {
 public:
  /// `lanes` has one lane per strategy already, and outlives the bar.
  progress_bar(const progress_lanes& lanes, std::vector<strategy> strategies, std::ostream& out,
               bool terminal);
  /// Draws the final state and stops.
  ~progress_bar();
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

 private:
  void draw();
  void report_finished();

  const progress_lanes& lanes_;
  std::vector<strategy> strategies_;
  std::ostream& out_;
  bool terminal_;
  std::vector<bool> reported_;
  bool drawn_ = false;
  std::jthread drawer_;
};

}  // namespace headroom::sim
