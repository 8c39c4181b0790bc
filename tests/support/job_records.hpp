#pragma once
// The detector tests' common ground: a day to detect on and delivery jobs as the
// distribution system lists them.

#include <string>

#include "domain/time.hpp"
#include "distribution_api/records.hpp"

namespace headroom::test {

inline constexpr messages::utc_seconds t0 = 1'800'000'000;
inline constexpr domain::interval day{t0, t0 + 86'400};

/// A scheduled 10-minute delivery of package "fw", at version 1.
inline messages::job_record scheduled_job(std::string id, std::string device,
                                          messages::utc_seconds start,
                                          messages::utc_seconds updated_at = 0) {
  messages::job_record j;
  j.id = std::move(id);
  j.device = std::move(device);
  j.package = "fw";
  j.start = start;
  j.duration_s = 600;
  j.version = 1;
  j.updated_at = updated_at;
  return j;
}

}  // namespace headroom::test
