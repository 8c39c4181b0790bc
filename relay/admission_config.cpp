#include "relay/admission_config.hpp"

#include <string>

namespace headroom::relay {

domain::expected<admission_config> validate(admission_config c) {
  using domain::error;
  if (c.capacity < 1) return error{"admission.capacity", "must be at least 1"};
  if (c.threshold == 0) c.threshold = c.capacity;
  if (c.threshold > c.capacity)
    return error{"admission.threshold", "must be 1..capacity (" + std::to_string(c.capacity) + ")"};
  if (c.per_device_connections < 1)
    return error{"admission.per_device_connections", "must be at least 1"};
  if (c.on_full == on_full_policy::queue && c.queue_limit < 1)
    return error{"admission.queue_limit", "must be at least 1 when on_full = \"queue\""};
  if (c.queue_timeout.count() <= 0) return error{"admission.queue_timeout_ms", "must be positive"};
  return c;
}

}  // namespace headroom::relay
