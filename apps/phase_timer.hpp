#pragma once

#include <chrono>
#include <cstdio>

namespace headroom::apps {

/// Prints, when enabled, how long each phase of a long command took (stderr), so a
/// person running a large fleet sees progress and where the time goes.
class phase_timer {
 public:
  explicit phase_timer(bool enabled) : enabled_(enabled), last_(std::chrono::steady_clock::now()) {}

  void done(const char* phase) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "%8.3f s  %s\n", std::chrono::duration<double>(now - last_).count(),
                 phase);
    last_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace headroom::apps
