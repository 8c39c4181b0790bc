#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "common/prometheus_text.hpp"

namespace headroom::distribution {

/// Request counters and latency sums per route, rendered in the Prometheus text format.
class metrics {
 public:
  void record(const std::string& method, const std::string& route, int status,
              std::chrono::nanoseconds took);
  void count_rejected_connection();

  /// Writes the counters' families to OUT.
  void render(common::prometheus_text& out) const;

 private:
  struct timing {
    std::int64_t count = 0;
    double seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::int64_t> requests_;
  std::map<std::pair<std::string, std::string>, timing> durations_;
  std::int64_t rejected_connections_ = 0;
};

}  // namespace headroom::distribution
