#include "relay/relay_context.hpp"

namespace headroom::relay {

domain::expected<std::shared_ptr<relay_context>> make_relay_context(relay_config config) {
  auto list = allowlist::parse(config.allow);
  if (!list) return list.failure();
  return std::make_shared<relay_context>(std::move(config), std::move(*list));
}

}  // namespace headroom::relay
