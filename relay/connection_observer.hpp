#pragma once
// The two directions between a device connection (Asio) and the session that owns it
// (an actor): the connection reports through connection_observer, from its threads, and
// the session steers it through connection_control. Neither side blocks the other.

#include <cstdint>
#include <memory>
#include <string>

#include "relay/relay_values.hpp"

namespace headroom::relay {

class connection_observer {
 public:
  virtual ~connection_observer() = default;

  /// The first request head names its device; the connection now waits for
  /// proxy_connection::admit or ::refuse_admission.
  virtual void identified(std::string device_id) = 0;

  /// The relay refused a request itself (malformed, forbidden, upstream failure ...).
  virtual void refused(relay::refusal_reason reason, std::string detail) = 0;

  /// The connection is closed; the last call.
  virtual void closed(relay::connection_totals totals) = 0;
};

class connection_control {
 public:
  virtual ~connection_control() = default;

  /// Starts reading the first request head; reports to `observer` from then on.
  virtual void start(std::shared_ptr<connection_observer> observer) = 0;

  /// Relays for the identified device from now on.
  virtual void admit() = 0;

  /// Answers 503 with Retry-After and closes.
  virtual void refuse_admission(std::uint32_t retry_after_seconds) = 0;

  /// Closes both sides now.
  virtual void stop() = 0;

  /// The device's IP address as text.
  [[nodiscard]] virtual const std::string& client_address() const = 0;
};

}  // namespace headroom::relay
