#pragma once

#include <compare>
#include <cstddef>
#include <vector>

#include "domain/fleet.hpp"
#include "domain/time.hpp"

namespace headroom::domain {

/// A job's span on one proxy, as the job lists of its windows need it.
struct job_span {
  instant start = 0;
  instant end = 0;
  index_t job = 0;
  friend auto operator<=>(const job_span&, const job_span&) = default;
};

/// The jobs on one proxy ordered by (start, end, job), kept in chunks of a few hundred:
/// a rollout puts tens of thousands of jobs behind one proxy, and a single sorted
/// vector would move all of them on every insert or erase. Here one chunk moves.
class job_index {
 public:
  /// Adds a job anywhere; call seal() after the last one and before any other call.
  void append(const job_span& e);
  /// Sorts what append() added and cuts it into chunks.
  void seal();

  void insert(const job_span& e);
  /// Removes e; false when it is not there.
  bool erase(const job_span& e);

  /// Calls f(entry) for the entries with start >= from, in order, while f returns true.
  template <class F>
  void visit_from(instant from, F&& f) const {
    const auto first = first_chunk_reaching(from);
    for (auto c = first; c != chunks_.end(); ++c)
      for (auto e = c == first ? lower_start(*c, from) : c->begin(); e != c->end(); ++e)
        if (!f(*e)) return;
  }

  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  using chunk = std::vector<job_span>;
  static constexpr std::size_t chunk_size = 256;  ///< A chunk splits at twice this.

  [[nodiscard]] std::vector<chunk>::const_iterator first_chunk_reaching(instant from) const;
  [[nodiscard]] static chunk::const_iterator lower_start(const chunk& c, instant from);
  /// The chunk that holds e or would: the first whose last entry is not below e, else the last.
  [[nodiscard]] std::vector<chunk>::iterator chunk_for(const job_span& e);

  std::vector<chunk> chunks_;  ///< Never an empty chunk; each after the one before.
};

}  // namespace headroom::domain
