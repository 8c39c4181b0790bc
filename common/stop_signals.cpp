#include "common/stop_signals.hpp"

#include <pthread.h>

namespace headroom::common {

stop_signals::stop_signals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

void stop_signals::wait() {
  int received = 0;
  sigwait(&set_, &received);
}

}  // namespace headroom::common
