#include "sim/live/live_rollout.hpp"

#include <algorithm>

namespace headroom::sim {
namespace {

/// Within a second, services start first and deliveries after them (rule 3); every
/// session closes this long before its last second ends, so that ends come before the
/// next second's starts (rule 3) despite the relays' and the clients' own latency.
constexpr std::int64_t service_offset_ms = 0;
constexpr std::int64_t job_offset_ms = 40;
constexpr std::int64_t end_margin_ms = 150;
constexpr std::int64_t check_in_retry_ms = 1000;
constexpr int check_in_tries = 10;

std::int64_t ms(domain::instant second) { return second * 1000; }

}  // namespace

live_rollout::live_rollout(const domain::fleet& f, const domain::counting& c,
                           live_addresses addresses, std::map<std::string, live_image> images,
                           retry_policy policy, domain::interval horizon, device_clients& clients,
                           domain::wall_clock clock)
    : fleet_(f),
      counting_(c),
      addresses_(std::move(addresses)),
      images_(std::move(images)),
      policy_(policy),
      horizon_(horizon),
      clients_(clients),
      clock_(std::move(clock)),
      service_devices_(domain::devices_per_service(f)),
      slots_(f.jobs.size()) {
  for (std::size_t j = 0; j < f.jobs.size(); ++j) {
    slots_[j].outcome.job = static_cast<domain::index_t>(j);
    jobs_ += c.job_counts[j];
  }
}

device_request live_rollout::request_of(domain::index_t device, std::string target,
                                        std::int64_t hold_until_ms) const {
  device_request r;
  r.device = fleet_.devices[device].id;
  for (const auto p : fleet_.devices[device].path) r.path.push_back(addresses_.relay_of_proxy[p]);
  r.origin = addresses_.origin;
  r.target = std::move(target);
  r.hold_until_ms = hold_until_ms;
  return r;
}

void live_rollout::check_in(std::int64_t from_ms, std::int64_t spread_ms) {
  std::vector<domain::index_t> relayed;
  for (std::size_t d = 0; d < fleet_.devices.size(); ++d)
    if (fleet_.devices[d].relayed() && !fleet_.devices[d].path.empty())
      relayed.push_back(static_cast<domain::index_t>(d));
  const auto n = static_cast<std::int64_t>(relayed.size());
  for (std::int64_t k = 0; k < n; ++k)
    clients_.at(
        from_ms + (n > 1 ? spread_ms * k / n : 0),
        [this, d = relayed[static_cast<std::size_t>(k)]] { check_in_device(d, check_in_tries); });
}

void live_rollout::check_in_device(domain::index_t device, int tries_left) {
  clients_.open(request_of(device, "/healthz", 0), {},
                [this, device, tries_left](const attempt_report& report) {
                  if (report.how == attempt_end::completed) {
                    ++counters_.check_ins;
                    return;
                  }
                  if (tries_left <= 1) {
                    ++counters_.check_ins_failed;
                    return;
                  }
                  clients_.at(
                      clock_.milliseconds() + check_in_retry_ms,
                      [this, device, tries_left] { check_in_device(device, tries_left - 1); });
                });
}

void live_rollout::start(const std::vector<domain::instant>& starts, domain::instant from) {
  for (std::size_t j = 0; j < fleet_.jobs.size(); ++j) {
    if (!counting_.job_counts[j]) continue;
    clients_.at(0, [this, j, at = starts[j]] {
      auto& slot = slots_[j];
      slot.s = state::pending;
      slot.next_try = at;
      slot.outcome.planned = at;
      plan_try(static_cast<domain::index_t>(j));
    });
  }
  for (std::size_t s = 0; s < fleet_.services.size(); ++s) {
    if (service_devices_[s].empty()) continue;
    const auto first = domain::first_ending_after(domain::pattern_of(fleet_.services[s]),
                                                  std::max(from, horizon_.start));
    clients_.at(ms(first) + service_offset_ms, [this, s, first] { occur(s, first); });
  }
}

void live_rollout::plan_try(domain::index_t job) {
  auto& slot = slots_[job];
  clients_.at(ms(slot.next_try) + job_offset_ms,
              [this, job, generation = slot.generation] { attempt(job, generation); });
}

void live_rollout::move(domain::index_t job, domain::instant at) {
  clients_.at(0, [this, job, at] {
    auto& slot = slots_[job];
    if (slot.s != state::pending || slot.next_try == at) return;
    // A try already due runs as planned: the device had begun.
    if (ms(slot.next_try) + job_offset_ms <= clock_.milliseconds()) return;
    slot.next_try = std::max(at, clock_.seconds());
    ++slot.generation;
    if (slot.outcome.attempts == 0) slot.outcome.planned = slot.next_try;
    plan_try(job);
  });
}

void live_rollout::attempt(domain::index_t job, std::uint64_t generation) {
  auto& slot = slots_[job];
  if (slot.s != state::pending || slot.generation != generation) return;
  const auto& j = fleet_.jobs[job];
  const auto at = slot.next_try;
  ++slot.outcome.attempts;
  ++tries_;
  slot.s = state::active;
  auto request =
      request_of(j.device, "/firmware/" + j.package, ms(at + j.duration_s) - end_margin_ms);
  if (const auto image = images_.find(j.package); image != images_.end()) {
    request.expected_bytes = image->second.bytes;
    request.expected_sha256 = image->second.sha256;
  }
  clients_.open(
      std::move(request),
      [this, job] {
        if (listener_) listener_->running(job);
      },
      [this, job, at](const attempt_report& report) { ended(job, at, report); });
}

void live_rollout::ended(domain::index_t job, domain::instant at, const attempt_report& report) {
  auto& slot = slots_[job];
  if (report.how == attempt_end::completed) {
    slot.s = state::succeeded;
    slot.outcome.succeeded = true;
    slot.outcome.start = at;
    slot.outcome.end = std::max(at + fleet_.jobs[job].duration_s, clock_.seconds());
    counters_.bytes += report.bytes;
    ++finished_;
    if (listener_) listener_->finished(job, true);
    return;
  }
  if (report.how == attempt_end::refused) {
    ++counters_.refusals;
    ++refused_;
  } else if (++counters_.broken == 1) {
    counters_.first_broken = fleet_.jobs[job].id + ": " + report.detail;
  }
  if (slot.outcome.attempts > policy_.retries) {
    slot.s = state::failed;
    slot.outcome.end = at;
    ++failed_;
    ++finished_;
    if (listener_) listener_->finished(job, false);
    return;
  }
  slot.s = state::pending;
  slot.next_try = at + policy_.retry_after_s;
  ++slot.generation;
  plan_try(job);
  if (listener_) listener_->retrying(job, slot.next_try);
}

void live_rollout::occur(std::size_t service, domain::instant at) {
  if (finished_.load() >= jobs_ || at >= horizon_.end) return;
  const auto& s = fleet_.services[service];
  for (const auto device : service_devices_[service])
    clients_.open(request_of(device, "/healthz", ms(at + s.duration_s) - end_margin_ms), {},
                  [this](const attempt_report& report) {
                    if (report.how == attempt_end::refused) ++counters_.service_refusals;
                    if (report.how == attempt_end::broken && ++counters_.broken == 1)
                      counters_.first_broken = "a service communication: " + report.detail;
                  });
  const auto next = at + s.every_s;
  clients_.at(ms(next) + service_offset_ms, [this, service, next] { occur(service, next); });
}

void live_rollout::collect(strategy_result& out) const {
  out.refusals = counters_.refusals;
  out.service_refusals = counters_.service_refusals;
  out.outcomes.clear();
  for (std::size_t j = 0; j < slots_.size(); ++j)
    if (counting_.job_counts[j]) out.outcomes.push_back(slots_[j].outcome);
}

}  // namespace headroom::sim
