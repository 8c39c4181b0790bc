#include "common/progress_bar.hpp"

#include <chrono>
#include <iomanip>
#include <sstream>

namespace headroom::common {
namespace {

constexpr int bar_width = 30;

}  // namespace

progress_bar::progress_bar(const progress_lanes& lanes, std::vector<std::string> names,
                           std::string unit, std::ostream& out, bool terminal)
    : lanes_(lanes),
      names_(std::move(names)),
      unit_(std::move(unit)),
      out_(out),
      terminal_(terminal),
      reported_(names_.size(), false) {
  drawer_ = std::jthread([this](std::stop_token stop) {
    // In a log, the lanes still running are reported every 30 s, so that a long run
    // shows it is alive.
    constexpr int ticks_per_report = 120;
    for (int tick = 1; !stop.stop_requested(); ++tick) {
      if (terminal_)
        draw();
      else
        report_done(tick % ticks_per_report == 0);
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
    report_done(false);
}

std::string progress_bar::line(std::size_t i) const {
  const auto& lane = lanes_[i];
  const auto total = lane.total.load();
  const auto finished = lane.finished.load();
  const bool done = lane.done.load();
  const double share = done        ? 1.0
                       : total > 0 ? static_cast<double>(finished) / static_cast<double>(total)
                                   : 0.0;
  const int filled = static_cast<int>(share * bar_width);
  std::ostringstream s;
  s << std::left << std::setw(15) << names_[i] << " [" << std::string(filled, '#')
    << std::string(bar_width - filled, '.') << "] " << std::right << std::setw(3)
    << static_cast<int>(share * 100) << "%  " << finished << "/" << total << " " << unit_;
  if (const auto reached = lane.reached.load(); reached != 0)
    s << "  at " << domain::format_utc(reached);
  if (done) s << "  done";
  return s.str();
}

void progress_bar::draw() {
  // Back to the first of our lines, then each line anew.
  if (drawn_) out_ << "\x1b[" << names_.size() << "F";
  drawn_ = true;
  for (std::size_t i = 0; i < names_.size(); ++i) out_ << "\x1b[2K" << line(i) << "\n";
  out_.flush();
}

void progress_bar::report_done(bool running_too) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (reported_[i]) continue;
    if (lanes_[i].done)
      reported_[i] = true;
    else if (!running_too)
      continue;
    out_ << line(i) << "\n";
  }
  out_.flush();
}

}  // namespace headroom::common
