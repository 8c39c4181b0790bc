// The login limiter on its own, with times the test chooses: per-operator and per-address
// limits, lockouts that end with the window, and a table that never outgrows its bound.
#include "distribution/login_limiter.hpp"

#include <boost/test/unit_test.hpp>

namespace headroom::test {

using distribution::login_limiter;
using distribution::login_limits;

BOOST_AUTO_TEST_SUITE(distribution_login_limiter)

BOOST_AUTO_TEST_CASE(an_operator_is_locked_after_the_limit_until_the_window_ends) {
  login_limiter limiter(login_limits{3, 100, 600, 100});
  for (int i = 0; i < 2; ++i) {
    BOOST_TEST(!limiter.check("alice", "10.0.0.1", 1000 + i).has_value());
    limiter.failed("alice", "10.0.0.1", 1000 + i);
  }
  BOOST_TEST(!limiter.check("alice", "10.0.0.1", 1002).has_value());
  limiter.failed("alice", "10.0.0.1", 1002);
  const auto locked = limiter.check("alice", "10.0.0.2", 1003);
  BOOST_REQUIRE(locked.has_value());
  BOOST_TEST(locked->by_account);
  BOOST_TEST(locked->until == 1600);
  BOOST_TEST(!limiter.check("bob", "10.0.0.1", 1003).has_value());
  BOOST_TEST(limiter.check("alice", "10.0.0.1", 1599).has_value());
  BOOST_TEST(!limiter.check("alice", "10.0.0.1", 1600).has_value());
  BOOST_TEST(limiter.refused() == 2);
}

BOOST_AUTO_TEST_CASE(an_address_is_locked_whatever_names_it_tries) {
  login_limiter limiter(login_limits{100, 3, 60, 100});
  limiter.failed("a", "10.0.0.1", 0);
  limiter.failed("b", "10.0.0.1", 1);
  limiter.failed("c", "10.0.0.1", 2);
  const auto locked = limiter.check("alice", "10.0.0.1", 3);
  BOOST_REQUIRE(locked.has_value());
  BOOST_TEST(!locked->by_account);
  BOOST_TEST(locked->until == 60);
  BOOST_TEST(!limiter.check("alice", "10.0.0.2", 3).has_value());
}

BOOST_AUTO_TEST_CASE(a_success_clears_the_operator_but_not_the_address) {
  login_limiter limiter(login_limits{2, 3, 60, 100});
  limiter.failed("alice", "10.0.0.1", 0);
  limiter.succeeded("alice");
  limiter.failed("alice", "10.0.0.1", 1);
  BOOST_TEST(!limiter.check("alice", "10.0.0.2", 2).has_value());
  limiter.failed("bob", "10.0.0.1", 2);
  BOOST_TEST(limiter.check("carol", "10.0.0.1", 3).has_value());
}

BOOST_AUTO_TEST_CASE(the_table_drops_expired_then_oldest_entries_at_its_bound) {
  login_limiter limiter(login_limits{5, 1000, 60, 10});
  for (int i = 0; i < 100; ++i) limiter.failed("name-" + std::to_string(i), "10.0.0.1", i / 10);
  BOOST_TEST(limiter.tracked() <= 10u);
  // Long after, one failure finds the table full of expired entries and drops them all.
  limiter.failed("late", "10.0.0.9", 1000);
  BOOST_TEST(limiter.tracked() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace headroom::test
