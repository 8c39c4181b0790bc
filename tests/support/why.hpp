#pragma once
// Why an expected value is missing, for test messages (empty when it is there: Boost.Test
// builds a message even when the check passes).

#include <caf/expected.hpp>
#include <string>

#include "detector/detector_errors.hpp"

namespace headroom::test {

template <class T>
std::string why(const caf::expected<T>& x) {
  return x ? std::string() : headroom::describe(x.error());
}

}  // namespace headroom::test
