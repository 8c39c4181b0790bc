#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>

namespace headroom::apps {

/// Prints, when enabled, how long each phase of a long command took and the peak resident
/// memory so far (stderr), so a person running a large fleet sees progress and where the
/// time and the memory go.
class phase_timer {
 public:
  explicit phase_timer(bool enabled) : enabled_(enabled), last_(std::chrono::steady_clock::now()) {}

  void done(const char* phase) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::fprintf(stderr, "%8.3f s  %6ld MB peak  %s\n",
                 std::chrono::duration<double>(now - last_).count(), usage.ru_maxrss / 1024, phase);
    last_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace headroom::apps
