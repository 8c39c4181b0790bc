#include "distribution_api/records.hpp"

namespace headroom::distribution_api {

const char* to_string(job_status s) {
  switch (s) {
    case job_status::scheduled:
      return "scheduled";
    case job_status::running:
      return "running";
    case job_status::done:
      return "done";
    case job_status::failed:
      return "failed";
    case job_status::cancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<job_status> parse_job_status(std::string_view text) {
  for (auto s : {job_status::scheduled, job_status::running, job_status::done, job_status::failed,
                 job_status::cancelled})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

std::size_t adjustment_outcome::applied() const {
  std::size_t n = 0;
  for (const auto& r : results) n += r.applied ? 1 : 0;
  return n;
}

}  // namespace headroom::distribution_api
