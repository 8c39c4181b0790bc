#pragma once
// The one registration of Headroom's message types with an actor system: every block of
// the chain in messages/type_id_ranges.hpp, whichever roles the process runs.

namespace caf {
class actor_system_config;
}

namespace headroom::actors {

void register_types(caf::actor_system_config& config);

}  // namespace headroom::actors
