#include "sim/results.hpp"

namespace headroom::sim {

std::string_view to_string(strategy s) { return common::spelling(strategies, s); }

}  // namespace headroom::sim
