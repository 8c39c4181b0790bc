#pragma once
// The line every fault test prints per scenario, collected by scripts/reliability-report
// into docs/reliability.md:
//   reliability: {"fault": ..., "tries": ..., "lost": ..., "duplicated": ..., "detail": ...}

#include <cstdint>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace headroom::test {

inline void print_reliability(const std::string& fault, std::int64_t tries, std::int64_t lost,
                              std::int64_t duplicated, const std::string& detail) {
  std::cout << "reliability: "
            << nlohmann::ordered_json{{"fault", fault},
                                      {"tries", tries},
                                      {"lost", lost},
                                      {"duplicated", duplicated},
                                      {"detail", detail}}
                   .dump()
            << std::endl;
}

}  // namespace headroom::test
