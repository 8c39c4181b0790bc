#pragma once
// What the pages read from the events the store keeps, with distribution_api's readers.
// This server validated (or wrote) those documents, so one it cannot read was changed
// behind its back: an internal failure.

#include <string>

#include "distribution/failure.hpp"
#include "distribution/store/store.hpp"
#include "distribution_api/records.hpp"

namespace headroom::distribution {

/// The notification a stored event holds.
domain::expected<distribution_api::notification_record, failure> notification_of(
    const event_record& e);

/// The outcome an adjustment's stored answer gives.
domain::expected<distribution_api::adjustment_outcome, failure> outcome_of(
    const std::string& answer);

/// `&applied=N&refused=M`: how the schedule screen is told an adjustment's outcome.
std::string outcome_query(const distribution_api::adjustment_outcome& o);

}  // namespace headroom::distribution
