#include "distribution/pages/stored_events.hpp"

#include "distribution_api/json.hpp"

namespace headroom::distribution {
namespace {

failure unreadable(const std::string& what, const domain::error& e) {
  return {failure_kind::internal, "", what + " as stored cannot be read: " + e.message()};
}

}  // namespace

domain::expected<distribution_api::notification_record, failure> notification_of(
    const event_record& e) {
  auto n = distribution_api::read_notification(e.body);
  if (!n) return unreadable("notification " + std::to_string(e.seq), n.failure());
  return std::move(*n);
}

domain::expected<distribution_api::adjustment_outcome, failure> outcome_of(
    const std::string& answer) {
  auto o = distribution_api::read_adjustment_answer(answer);
  if (!o) return unreadable("an adjustment's answer", o.failure());
  return std::move(*o);
}

std::string outcome_query(const distribution_api::adjustment_outcome& o) {
  const auto applied = o.applied();
  return "&applied=" + std::to_string(applied) +
         "&refused=" + std::to_string(o.results.size() - applied);
}

}  // namespace headroom::distribution
