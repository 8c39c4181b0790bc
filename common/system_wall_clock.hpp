#pragma once
// The production wall clock: the system's, at millisecond resolution. Only apps/ (and the
// tests and benchmarks that run real roles) hand it to the roles they start.

#include <chrono>

#include "domain/wall_clock.hpp"

namespace headroom::common {

inline domain::wall_clock system_wall_clock() {
  return domain::wall_clock{[] {
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }};
}

}  // namespace headroom::common
