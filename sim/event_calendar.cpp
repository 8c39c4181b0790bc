#include "sim/event_calendar.hpp"

namespace headroom::sim {

void instant_events::clear() {
  job_ends.clear();
  service_ends.clear();
  service_starts.clear();
  job_starts.clear();
}

instant_events& event_calendar::at(domain::instant t) {
  if (last_ && last_time_ == t) return *last_;
  auto [it, inserted] = slot_of_.try_emplace(t, 0);
  if (inserted) {
    if (free_.empty()) {
      it->second = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      it->second = free_.back();
      free_.pop_back();
    }
    seconds_.push(t);
  }
  last_time_ = t;
  last_ = &slots_[it->second];
  return *last_;
}

std::optional<domain::instant> event_calendar::next() const {
  if (seconds_.empty()) return std::nullopt;
  return seconds_.top();
}

void event_calendar::release(domain::instant t) {
  auto it = slot_of_.find(t);
  if (it == slot_of_.end()) return;
  slots_[it->second].clear();
  free_.push_back(it->second);
  slot_of_.erase(it);
  seconds_.pop();
  if (last_time_ == t) last_ = nullptr;
}

}  // namespace headroom::sim
