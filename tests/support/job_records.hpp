#pragma once
// The detector tests' common ground: a day to detect on and delivery jobs as the
// distribution system lists them.

#include <string>

#include "distribution_api/records.hpp"
#include "domain/time.hpp"

namespace headroom::test {

inline constexpr domain::instant t0 = 1'800'000'000;
inline constexpr domain::interval day{t0, t0 + 86'400};

/// A scheduled 10-minute delivery of package "fw", at version 1.
inline distribution_api::job_record scheduled_job(std::string id, std::string device,
                                                  domain::instant start,
                                                  domain::instant updated_at = 0) {
  distribution_api::job_record j;
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
