#pragma once
// The devices of a live run: thousands of concurrent HTTP clients on one Asio thread (no
// thread per device) that talk to the distribution system through the relays as real
// devices do. A chain of relays is crossed with CONNECT to the next relay; the last relay
// gets an absolute-form GET. Each device names itself in Proxy-Authorization, reads its
// answer at a set pace, checks the length and the SHA-256 of what it read, and keeps its
// session open until the end of its communication, which is what a relay counts.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/wall_clock.hpp"

namespace headroom::sim {

struct live_endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

/// One communication of one device.
struct device_request {
  std::string device;               ///< Its id: the user of Proxy-Authorization.
  std::vector<live_endpoint> path;  ///< Relays, nearest first (at least one).
  live_endpoint origin;             ///< The distribution system.
  std::string target;               ///< Origin-form path, e.g. /firmware/fw-a4.
  std::int64_t hold_until_ms = 0;   ///< Wall time to close the session at.
  /// A download: the body's expected length and SHA-256 (hex); empty: any answer body.
  std::int64_t expected_bytes = -1;
  std::string expected_sha256;
};

enum class attempt_end : std::uint8_t {
  completed,  ///< Admitted, answered 200, body verified, session held to its end.
  refused,    ///< A relay answered 503.
  broken,     ///< Anything else: an unexpected status, a short or corrupt body, a timeout.
};

struct attempt_report {
  attempt_end how = attempt_end::broken;
  int status = 0;
  std::uint64_t bytes = 0;
  std::string detail;  ///< Why, when broken.
};

class device_clients {
 public:
  /// Runs one Asio thread; `clock` is the wall clock every time is read from.
  explicit device_clients(domain::wall_clock clock);
  ~device_clients();
  device_clients(const device_clients&) = delete;
  device_clients& operator=(const device_clients&) = delete;

  /// Runs `task` on the clients' thread at wall time `at_ms` (at once when past).
  /// Callable from any thread; every callback below runs on that thread too.
  void at(std::int64_t at_ms, std::function<void()> task);

  /// Opens the communication now. `admitted` is called when the last relay let it
  /// through (the origin's answer head arrived), `done` once, at the end.
  void open(device_request request, std::function<void()> admitted,
            std::function<void(const attempt_report&)> done);

  /// Sessions under way.
  [[nodiscard]] std::int64_t open_sessions() const;

  /// Stops the thread; sessions under way are cut without a report.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Basic credentials naming a device (its password is not checked unless the relay
/// requires authentication).
std::string proxy_authorization(const std::string& device);

}  // namespace headroom::sim
