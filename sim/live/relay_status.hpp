#pragma once
// What a relay's admin endpoint says of itself (GET /status), as the live run reads it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sim/live/device_clients.hpp"

namespace headroom::detector {
class http_connection;
}

namespace headroom::sim {

struct relay_snapshot {
  std::string proxy_id;
  std::int32_t capacity = 0;
  std::int32_t threshold = 0;
  std::int32_t active_devices = 0;
  std::int64_t admitted_total = 0;
  std::int64_t refused_total = 0;  ///< For every reason.
};

/// One relay's admin endpoint, read with short timeouts.
class relay_status_reader {
 public:
  explicit relay_status_reader(const live_endpoint& admin);
  ~relay_status_reader();
  relay_status_reader(const relay_status_reader&) = delete;
  relay_status_reader& operator=(const relay_status_reader&) = delete;

  /// None when the relay did not answer in time or answered something else.
  std::optional<relay_snapshot> read();

 private:
  std::unique_ptr<detector::http_connection> connection_;
};

}  // namespace headroom::sim
