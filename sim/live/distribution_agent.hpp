#pragma once
// The devices' side of the distribution system's API in a live run, on its own thread:
// it reports each job's progress as device agents do (running, done, failed, and the
// next try of a refused one, so that the detector's model holds where each job really
// stands), and polls the jobs changed since its last look, so that a re-schedule the
// distribution system applied (an operator's, or the detector's in automatic mode)
// reaches the device that has not begun yet. It talks to the API directly, not through
// the relays: the relays carry only the traffic the prediction counts.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/live/live_rollout.hpp"

namespace headroom::detector {
class http_connection;
}

namespace headroom::sim {

class distribution_agent : public job_listener {
 public:
  /// Starts the thread; `rollout` gets the moves. Both must outlive the agent.
  distribution_agent(const domain::fleet& f, live_endpoint api, std::string api_token,
                     live_rollout& rollout, domain::wall_clock clock);
  ~distribution_agent() override;
  distribution_agent(const distribution_agent&) = delete;
  distribution_agent& operator=(const distribution_agent&) = delete;

  void running(domain::index_t job) override;
  void retrying(domain::index_t job, domain::instant at) override;
  void finished(domain::index_t job, bool succeeded) override;

  /// Moves handed to the rollout; reports the API refused (after three tries).
  [[nodiscard]] std::int64_t moves_seen() const { return moves_.load(); }
  [[nodiscard]] std::int64_t reports_lost() const { return lost_.load(); }

  void stop();

 private:
  struct report {
    domain::index_t job = 0;
    std::string status;  ///< Empty: only the start.
    std::optional<domain::instant> start;
  };
  void run();
  void send(const report& r);
  void poll();

  const domain::fleet& fleet_;
  live_endpoint api_;
  std::string token_;
  live_rollout& rollout_;
  domain::wall_clock clock_;
  std::map<std::string, domain::index_t> job_index_;
  std::vector<domain::instant> known_start_;  ///< By job: as last reported or seen.
  domain::instant polled_since_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<report> queue_;
  bool stopping_ = false;
  std::atomic<std::int64_t> moves_{0};
  std::atomic<std::int64_t> lost_{0};
  detector::http_connection* connection_ = nullptr;  ///< The thread's own, while it runs.
  std::thread thread_;
};

}  // namespace headroom::sim
