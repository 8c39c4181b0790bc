#include "sim/progress_bar.hpp"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <sstream>

namespace headroom::sim {
namespace {

constexpr int bar_width = 30;

std::string line(std::string_view name, const progress_lane& lane) {
  const auto jobs = lane.jobs.load();
  const auto finished = lane.finished.load();
  const bool done = lane.done.load();
  const double share = done       ? 1.0
                       : jobs > 0 ? static_cast<double>(finished) / static_cast<double>(jobs)
                                  : 0.0;
  const int filled = static_cast<int>(share * bar_width);
  std::ostringstream s;
  s << std::left << std::setw(15) << name << " [" << std::string(filled, '#')
    << std::string(bar_width - filled, '.') << "] " << std::right << std::setw(3)
    << static_cast<int>(share * 100) << "%  " << finished << "/" << jobs << " jobs";
  if (const auto reached = lane.reached.load(); reached != 0)
    s << "  at " << domain::format_utc(reached);
  if (done) s << "  done";
  return s.str();
}

}  // namespace

progress_bar::progress_bar(const progress_lanes& lanes, std::vector<strategy> strategies,
                           std::ostream& out, bool terminal)
    : lanes_(lanes),
      strategies_(std::move(strategies)),
      out_(out),
      terminal_(terminal),
      reported_(strategies_.size(), false) {
  drawer_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      if (terminal_)
        draw();
      else
        report_finished();
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  });
}

progress_bar::~progress_bar() {
  drawer_.request_stop();
  drawer_.join();
  if (terminal_)
    draw();
  else
    report_finished();
}

void progress_bar::draw() {
  // Back to the first of our lines, then each line anew.
  if (drawn_) out_ << "\x1b[" << strategies_.size() << "F";
  drawn_ = true;
  for (std::size_t i = 0; i < strategies_.size(); ++i)
    out_ << "\x1b[2K" << line(to_string(strategies_[i]), lanes_[i]) << "\n";
  out_.flush();
}

void progress_bar::report_finished() {
  for (std::size_t i = 0; i < strategies_.size(); ++i) {
    if (reported_[i] || !lanes_[i].done) continue;
    reported_[i] = true;
    out_ << line(to_string(strategies_[i]), lanes_[i]) << "\n";
  }
  out_.flush();
}

}  // namespace headroom::sim
