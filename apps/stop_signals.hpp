#pragma once
// SIGINT and SIGTERM stop a role: blocked on every thread (so none of the library threads
// takes them) and waited for on the main thread.

#include <pthread.h>

#include <csignal>

namespace headroom::apps {

class stop_signals {
 public:
  /// Call before any thread starts, so that every thread inherits the mask.
  stop_signals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }

  /// Blocks until one of them arrives.
  void wait() {
    int received = 0;
    sigwait(&set_, &received);
  }

 private:
  sigset_t set_{};
};

}  // namespace headroom::apps
