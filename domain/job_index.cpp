#include "domain/job_index.hpp"

#include <algorithm>

namespace headroom::domain {

void job_index::append(const job_span& e) {
  if (chunks_.empty()) chunks_.emplace_back();
  chunks_.front().push_back(e);
}

void job_index::seal() {
  if (chunks_.empty()) return;
  chunk all = std::move(chunks_.front());
  chunks_.clear();
  std::sort(all.begin(), all.end());
  for (std::size_t from = 0; from < all.size(); from += chunk_size) {
    const std::size_t to = std::min(all.size(), from + chunk_size);
    // An eighth spare, so that the first inserts into a chunk do not double it.
    chunks_.emplace_back().reserve(to - from + chunk_size / 8);
    chunks_.back().assign(all.begin() + static_cast<std::ptrdiff_t>(from),
                          all.begin() + static_cast<std::ptrdiff_t>(to));
  }
}

std::vector<job_index::chunk>::iterator job_index::chunk_for(const job_span& e) {
  auto c = std::lower_bound(chunks_.begin(), chunks_.end(), e,
                            [](const chunk& x, const job_span& v) { return x.back() < v; });
  return c == chunks_.end() ? std::prev(c) : c;
}

void job_index::insert(const job_span& e) {
  if (chunks_.empty()) {
    chunks_.push_back({e});
    return;
  }
  const auto c = chunk_for(e);
  c->insert(std::lower_bound(c->begin(), c->end(), e), e);
  if (c->size() < 2 * chunk_size) return;
  chunk upper(c->begin() + chunk_size, c->end());
  c->resize(chunk_size);
  chunks_.insert(std::next(c), std::move(upper));
}

bool job_index::erase(const job_span& e) {
  if (chunks_.empty()) return false;
  const auto c = chunk_for(e);
  const auto at = std::lower_bound(c->begin(), c->end(), e);
  if (at == c->end() || *at != e) return false;
  c->erase(at);
  if (c->empty()) chunks_.erase(c);
  return true;
}

std::vector<job_index::chunk>::const_iterator job_index::first_chunk_reaching(instant from) const {
  return std::lower_bound(chunks_.begin(), chunks_.end(), from,
                          [](const chunk& x, instant t) { return x.back().start < t; });
}

job_index::chunk::const_iterator job_index::lower_start(const chunk& c, instant from) {
  return std::lower_bound(c.begin(), c.end(), from,
                          [](const job_span& x, instant t) { return x.start < t; });
}

std::size_t job_index::memory_bytes() const {
  std::size_t bytes = chunks_.capacity() * sizeof(chunk);
  for (const auto& c : chunks_) bytes += c.capacity() * sizeof(job_span);
  return bytes;
}

}  // namespace headroom::domain
