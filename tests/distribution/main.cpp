#define BOOST_TEST_MODULE distribution
#include <boost/test/unit_test.hpp>
