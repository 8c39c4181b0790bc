#pragma once
// The relays' measured load in a live run: each relay's /status read every 200 ms on a
// thread of its own, kept as the most distinct devices seen active at once, per proxy
// over the run and per bucket of the chart (the shape the virtual-time replay records).
// A sample can miss a peak shorter than its period; the relays' own refusals are counted
// by the devices that got them.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/wall_clock.hpp"
#include "sim/live/device_clients.hpp"
#include "sim/results.hpp"

namespace headroom::sim {

class load_sampler {
 public:
  /// `admins` by proxy index; `chart` gives the buckets (its series are filled).
  load_sampler(std::vector<live_endpoint> admins, load_series chart, domain::wall_clock clock);
  ~load_sampler();
  load_sampler(const load_sampler&) = delete;
  load_sampler& operator=(const load_sampler&) = delete;

  /// Stops sampling; then `peaks` and `series` are final.
  void stop();
  [[nodiscard]] std::vector<std::int32_t> peaks() const;
  [[nodiscard]] load_series series() const;
  /// Samples that could not be read (the relay did not answer in time).
  [[nodiscard]] std::int64_t missed() const { return missed_.load(); }

 private:
  void run();

  std::vector<live_endpoint> admins_;
  domain::wall_clock clock_;
  mutable std::mutex mutex_;
  std::vector<std::int32_t> peaks_;
  load_series series_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> missed_{0};
  std::thread thread_;
};

}  // namespace headroom::sim
