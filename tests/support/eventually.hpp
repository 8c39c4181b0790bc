#pragma once
// Waiting on a condition, for the suites that run real sockets and threads: poll it until
// it holds or a bound passes. A test waits for what it needs, never for a fixed time.

#include <chrono>
#include <thread>

namespace headroom::test {

/// Polls `done` every `step` until it holds or `limit` passes; false on timeout.
template <class Condition>
bool eventually(Condition&& done, std::chrono::milliseconds limit = std::chrono::seconds{60},
                std::chrono::milliseconds step = std::chrono::milliseconds{10}) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(step);
  }
  return done();
}

}  // namespace headroom::test
