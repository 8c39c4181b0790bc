#pragma once
// The detector's admin endpoint over HTTP/1.1 (Boost.Beast, one thread of its own):
// GET /status (JSON), /metrics (Prometheus text), /healthz. Anything else is 404, another
// method 405 with Allow; requests over 8 KiB or slower than 5 s are cut off.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "detector/detector_values.hpp"
#include "domain/expected.hpp"

namespace headroom::detector {

/// Produces the current report, or nullopt when the detector did not answer in time.
using report_source = std::function<std::optional<detector_report>()>;

class status_endpoint {
 public:
  /// Binds HOST:PORT (port 0: any) and serves; the error names the address.
  static domain::expected<std::unique_ptr<status_endpoint>> start(const std::string& host_port,
                                                                  report_source source);
  ~status_endpoint();
  status_endpoint(const status_endpoint&) = delete;
  status_endpoint& operator=(const status_endpoint&) = delete;

  [[nodiscard]] std::uint16_t port() const;

  /// Stops accepting and joins the thread. Idempotent.
  void stop();

  struct impl;

 private:
  explicit status_endpoint(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace headroom::detector
