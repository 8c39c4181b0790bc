#include "sim/live/load_sampler.hpp"

#include "sim/live/relay_status.hpp"

namespace headroom::sim {
namespace {

constexpr auto sample_every = std::chrono::milliseconds{200};

}  // namespace

load_sampler::load_sampler(std::vector<live_endpoint> admins, load_series chart,
                           domain::wall_clock clock)
    : admins_(std::move(admins)),
      clock_(std::move(clock)),
      peaks_(admins_.size(), 0),
      series_(std::move(chart)) {
  series_.peak_by_proxy.assign(admins_.size(), {});
  thread_ = std::thread([this] { run(); });
}

load_sampler::~load_sampler() { stop(); }

void load_sampler::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<std::int32_t> load_sampler::peaks() const {
  const std::lock_guard lock(mutex_);
  return peaks_;
}

load_series load_sampler::series() const {
  const std::lock_guard lock(mutex_);
  return series_;
}

void load_sampler::run() {
  std::vector<std::unique_ptr<relay_status_reader>> relays;
  for (const auto& a : admins_) relays.push_back(std::make_unique<relay_status_reader>(a));
  while (!stopping_) {
    const auto started = clock_.milliseconds();
    for (std::size_t p = 0; p < relays.size() && !stopping_; ++p) {
      const auto status = relays[p]->read();
      if (!status) {
        ++missed_;
        continue;
      }
      const auto active = status->active_devices;
      const auto bucket = (clock_.seconds() - series_.origin) / series_.bucket_s;
      const std::lock_guard lock(mutex_);
      peaks_[p] = std::max(peaks_[p], active);
      if (bucket < 0) continue;
      auto& row = series_.peak_by_proxy[p];
      if (row.size() <= static_cast<std::size_t>(bucket)) row.resize(bucket + 1, 0);
      row[bucket] = std::max(row[bucket], active);
    }
    const auto rest = started + sample_every.count() - clock_.milliseconds();
    std::unique_lock lock(mutex_);
    if (rest > 0)
      wake_.wait_for(lock, std::chrono::milliseconds{rest}, [this] { return stopping_.load(); });
  }
}

}  // namespace headroom::sim
