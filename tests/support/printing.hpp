#pragma once

// How Boost.Test prints domain values in failed assertions.

#include <ostream>

#include "domain/time.hpp"

namespace headroom::domain {

inline std::ostream& boost_test_print_type(std::ostream& os, const interval& i) {
  return os << "[" << format_utc(i.start) << ", " << format_utc(i.end) << ")";
}

}  // namespace headroom::domain
