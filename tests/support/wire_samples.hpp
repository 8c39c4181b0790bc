#pragma once

// One realistic value of every message type, shared by the golden, bus and
// benchmark tests. Changing a value here changes the golden bytes on purpose.

#include <vector>

#include "messages/types.hpp"

namespace headroom::test {

inline messages::session_event sample_session_event() {
  return {"dev-000123",
          "proxy-osaka-1",
          messages::session_outcome::closed,
          1'764'028'800,
          5'120,
          314'572'800,
          182'000,
          "fw.example.test:443",
          {},
          0,
          0};
}

inline std::vector<messages::payload> sample_payloads() {
  using namespace messages;
  return {
      node_hello{"node-osaka-1", {"proxy-osaka-1", "proxy-osaka-2"}, 120, 100, "0.1.0", 1},
      node_heartbeat{87, 90, 3},
      devices_seen{"proxy-osaka-1",
                   {{"dev-000123", 1'764'028'800, domain::monitoring_mode::proxy, "10.1.2.3"},
                    {"dev-000124", 1'764'028'860, domain::monitoring_mode::direct, "10.1.2.4"}}},
      sample_session_event(),
      observed_duration{"imageRUNNER C3326", "fw-2025.11", 314'572'800, 182'000, 1'764'028'800,
                        "9b2e41d07a5c3f18", 17, 12},
      overload_report{"proxy-osaka-1",
                      1'764'000'000,
                      {{1'764'028'800, 1'764'030'600, 131, 100, {"job-7", "job-9"}}}},
      adjustment_plan{"plan-1",
                      1'764'000'000,
                      {{"job-7", 1'764'028'800, 1'764'032'400, "proxy-osaka-1 over threshold 100"}},
                      {{"job-9", "no room before deadline 2025-11-25T03:00:00Z"}}},
      detector_status{"detector-1", "4f1c9a", 1'763'990'000, 3, 1},
      ack{42},
      events_ack{"9b2e41d07a5c3f18", 17},
  };
}

}  // namespace headroom::test
