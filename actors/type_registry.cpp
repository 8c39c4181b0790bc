#include "actors/type_registry.hpp"

#include <caf/actor_system_config.hpp>

#include "actors/detector/interfaces.hpp"
#include "actors/relay/interfaces.hpp"
#include "bus/interfaces.hpp"
#include "messages/caf_types.hpp"
#include "messages/type_id_ranges.hpp"

// Each block ends before the next one starts (a block that grew past its room fails here).
static_assert(caf::id_block::headroom_messages::end <= headroom::type_ids::bus);
static_assert(caf::id_block::headroom_bus::end <= headroom::type_ids::relay);
static_assert(caf::id_block::headroom_relay::end <= headroom::type_ids::detector);
static_assert(caf::id_block::headroom_detector::end <= headroom::type_ids::end);

namespace headroom::actors {

void register_types(caf::actor_system_config& config) {
  config.add_message_types<caf::id_block::headroom_messages>();
  config.add_message_types<caf::id_block::headroom_bus>();
  config.add_message_types<caf::id_block::headroom_relay>();
  config.add_message_types<caf::id_block::headroom_detector>();
}

}  // namespace headroom::actors
