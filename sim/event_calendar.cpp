#include "sim/event_calendar.hpp"

namespace headroom::sim {

void instant_events::clear() {
  // A slot is reused for later seconds: keep a small capacity, not the largest it ever held,
  // or every slot would grow to the busiest second's size.
  constexpr std::size_t kept = 1024;
  for (auto* v : {&job_ends, &service_ends, &service_starts, &job_starts}) {
    if (v->capacity() > kept)
      std::vector<domain::index_t>().swap(*v);
    else
      v->clear();
  }
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
