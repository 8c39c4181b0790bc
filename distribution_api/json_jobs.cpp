// Jobs created and changed through the API; only the reference server reads these, strictly.
#include <nlohmann/json.hpp>

#include "distribution_api/field_reader.hpp"
#include "distribution_api/json.hpp"
#include "distribution_api/list_items.hpp"

namespace headroom::distribution_api {
namespace {

using nlohmann::json;

/// The longest job the API accepts.
constexpr std::int64_t max_duration_s = 30 * domain::seconds_per_day;

std::int32_t priority(const field_reader& r) {
  return static_cast<std::int32_t>(r.integer("priority", -1000, 1000));
}

}  // namespace

domain::expected<job_record> read_new_job(std::string_view body) {
  return read_document<job_record>(body, strictness::strict, [](const json& doc) {
    field_reader f(
        doc, "", strictness::strict,
        {"id", "device", "package", "start", "duration_s", "deadline", "priority", "status"});
    job_record j;
    j.id = f.string("id");
    j.device = f.string("device");
    j.package = f.string("package");
    j.start = f.time("start");
    j.duration_s = f.integer("duration_s", 1, max_duration_s);
    if (f.has("deadline")) {
      j.deadline = f.time("deadline");
      if (*j.deadline < j.start + j.duration_s)
        reject(f.at("deadline"), "is before the job can end");
    }
    if (f.has("priority")) j.priority = priority(f);
    if (f.has("status")) j.status = read_job_status(f);
    return j;
  });
}

domain::expected<job_patch> read_job_patch(std::string_view body) {
  return read_document<job_patch>(body, strictness::strict, [](const json& doc) {
    field_reader f(doc, "", strictness::strict,
                   {"version", "start", "duration_s", "deadline", "priority", "status"});
    job_patch p;
    p.expected_version = f.integer("version", 1, std::numeric_limits<std::int64_t>::max());
    if (f.has("start")) p.start = f.time("start");
    if (f.has("duration_s")) p.duration_s = f.integer("duration_s", 1, max_duration_s);
    if (f.contains("deadline"))
      p.deadline = f.has("deadline") ? std::optional(f.time("deadline")) : std::nullopt;
    if (f.has("priority")) p.priority = priority(f);
    if (f.has("status")) p.status = read_job_status(f);
    return p;
  });
}

}  // namespace headroom::distribution_api
