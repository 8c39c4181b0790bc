#define BOOST_TEST_MODULE common_stop_signals
#include "common/stop_signals.hpp"

#include <pthread.h>

#include <boost/test/unit_test.hpp>
#include <thread>

BOOST_AUTO_TEST_CASE(a_blocked_sigterm_is_waited_for_not_delivered) {
  headroom::common::stop_signals signals;
  // A thread started now inherits the mask, as the roles' library threads do.
  sigset_t inherited;
  std::thread([&] { pthread_sigmask(SIG_BLOCK, nullptr, &inherited); }).join();
  BOOST_TEST(sigismember(&inherited, SIGTERM) == 1);
  BOOST_TEST(sigismember(&inherited, SIGINT) == 1);
  // Blocked, the signal stays pending instead of ending the process; wait() takes it.
  BOOST_REQUIRE(raise(SIGTERM) == 0);
  signals.wait();
  sigset_t pending;
  sigpending(&pending);
  BOOST_TEST(sigismember(&pending, SIGTERM) == 0);
}
