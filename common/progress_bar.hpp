#pragma once
// A progress bar on a stream, one line per lane: on a terminal redrawn a few times a second
// (items finished, the virtual time reached); elsewhere (a log, a pipe), one line per lane
// when it is done, and the running ones every 30 s.

#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "common/progress.hpp"

namespace headroom::common {

class progress_bar {
 public:
  /// `lanes` has one lane per name already, and outlives the bar; `unit` names the items.
  progress_bar(const progress_lanes& lanes, std::vector<std::string> names, std::string unit,
               std::ostream& out, bool terminal);
  /// Draws the final state and stops.
  ~progress_bar();
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

 private:
  void draw();
  /// Lanes done since the last report; with `running_too`, the others' state as well.
  void report_done(bool running_too);
  [[nodiscard]] std::string line(std::size_t lane) const;

  const progress_lanes& lanes_;
  std::vector<std::string> names_;
  std::string unit_;
  std::ostream& out_;
  bool terminal_;
  std::vector<bool> reported_;
  bool drawn_ = false;
  std::jthread drawer_;
};

}  // namespace headroom::common
