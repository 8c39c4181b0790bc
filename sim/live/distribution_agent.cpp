#include "sim/live/distribution_agent.hpp"

#include <nlohmann/json.hpp>

#include "common/percent.hpp"
#include "detector/http_connection.hpp"
#include "distribution_api/json.hpp"

namespace headroom::sim {
namespace {

constexpr auto poll_every = std::chrono::milliseconds{500};
constexpr int patch_tries = 3;

}  // namespace

distribution_agent::distribution_agent(const domain::fleet& f, live_endpoint api,
                                       std::string api_token, live_rollout& rollout,
                                       domain::wall_clock clock)
    : fleet_(f),
      api_(std::move(api)),
      token_(std::move(api_token)),
      rollout_(rollout),
      clock_(std::move(clock)) {
  for (std::size_t j = 0; j < f.jobs.size(); ++j) {
    job_index_[f.jobs[j].id] = static_cast<domain::index_t>(j);
    known_start_.push_back(f.jobs[j].start);
  }
  polled_since_ = clock_.seconds();
  thread_ = std::thread([this] { run(); });
}

distribution_agent::~distribution_agent() { stop(); }

void distribution_agent::running(domain::index_t job) {
  const std::lock_guard lock(mutex_);
  queue_.push_back({job, "running", std::nullopt});
  wake_.notify_one();
}

void distribution_agent::retrying(domain::index_t job, domain::instant at) {
  const std::lock_guard lock(mutex_);
  queue_.push_back({job, "scheduled", at});
  wake_.notify_one();
}

void distribution_agent::finished(domain::index_t job, bool succeeded) {
  const std::lock_guard lock(mutex_);
  queue_.push_back({job, succeeded ? "done" : "failed", std::nullopt});
  wake_.notify_one();
}

void distribution_agent::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void distribution_agent::run() {
  detector::http_connection api(api_.host, api_.port, {});
  connection_ = &api;
  auto next_poll = clock_.milliseconds();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, poll_every, [this] { return stopping_ || !queue_.empty(); });
    while (!queue_.empty() && !stopping_) {
      const auto r = queue_.front();
      queue_.pop_front();
      lock.unlock();
      send(r);
      lock.lock();
    }
    if (clock_.milliseconds() >= next_poll && !stopping_) {
      lock.unlock();
      poll();
      next_poll = clock_.milliseconds() + poll_every.count();
      lock.lock();
    }
  }
  connection_ = nullptr;
}

void distribution_agent::send(const report& r) {
  const auto target = "/api/v1/jobs/" + common::percent_encode(fleet_.jobs[r.job].id);
  const std::vector<std::pair<std::string, std::string>> headers{
      {"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}};
  for (int attempt = 0; attempt < patch_tries; ++attempt) {
    auto current = connection_->send(detector::http_method::get, target, "", headers);
    if (!current || current->status != 200) continue;
    const auto version = nlohmann::json::parse(current->body, nullptr, false).value("version", 0);
    nlohmann::json patch{{"version", version}, {"status", r.status}};
    if (r.start) patch["start"] = domain::format_utc(*r.start);
    auto answer = connection_->send(detector::http_method::patch, target, patch.dump(), headers);
    if (answer && answer->status == 200) {
      if (r.start) known_start_[r.job] = *r.start;
      return;
    }
  }
  ++lost_;
}

void distribution_agent::poll() {
  const std::vector<std::pair<std::string, std::string>> headers{
      {"Authorization", "Bearer " + token_}};
  // updated_since has whole seconds: the last second is read again, which is harmless.
  const auto since = polled_since_;
  polled_since_ = clock_.seconds();
  std::optional<std::string> cursor;
  do {
    std::string target = "/api/v1/jobs?limit=1000&updated_since=" +
                         common::percent_encode(domain::format_utc(since));
    if (cursor) target += "&cursor=" + common::percent_encode(*cursor);
    auto answer = connection_->send(detector::http_method::get, target, "", headers);
    if (!answer || answer->status != 200) return;
    auto page = distribution_api::read_jobs_page(answer->body);
    if (!page) return;
    for (const auto& job : page->items) {
      const auto at = job_index_.find(job.id);
      if (at == job_index_.end() || job.status != distribution_api::job_status::scheduled) continue;
      auto& known = known_start_[at->second];
      if (job.start == known) continue;
      known = job.start;
      ++moves_;
      rollout_.move(at->second, job.start);
    }
    cursor = page->next_cursor;
  } while (cursor);
}

}  // namespace headroom::sim
