#pragma once
// What a device connection tells the session that owns it. The Asio side calls these
// from its threads; implementations hand them on (to an actor) and never block.

#include <string>

#include "messages/relay_messages.hpp"

namespace headroom::relay {

class connection_observer {
 public:
  virtual ~connection_observer() = default;

  /// The first request head names its device; the connection now waits for
  /// proxy_connection::admit or ::refuse_admission.
  virtual void identified(std::string device_id) = 0;

  /// The relay refused a request itself (malformed, forbidden, upstream failure ...).
  virtual void refused(messages::refusal_reason reason, std::string detail) = 0;

  /// The connection is closed; the last call.
  virtual void closed(messages::connection_totals totals) = 0;
};

}  // namespace headroom::relay
