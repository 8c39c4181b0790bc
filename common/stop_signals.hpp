#pragma once
// SIGINT and SIGTERM stop a role: blocked on every thread (so that none of the library
// threads takes them) and waited for on the main thread.

#include <csignal>

namespace headroom::common {

class stop_signals {
 public:
  /// Blocks both signals on this thread. Construct before any thread starts, so that
  /// every thread inherits the mask.
  stop_signals();

  /// Returns when one of them arrives.
  void wait();

 private:
  sigset_t set_{};
};

}  // namespace headroom::common
