#include "sim/fleet_generator.hpp"

#include <algorithm>
#include <cmath>

#include "domain/counting.hpp"
#include "domain/load_profile.hpp"
#include "domain/maintenance.hpp"
#include "sim/random.hpp"

namespace headroom::sim {
namespace {

using domain::index_t;
using domain::instant;

struct device_model {
  std::string name;
  std::string package;
  std::int64_t package_mb;
  double share;
};

const std::vector<device_model>& models() {
  static const std::vector<device_model> all{
      {"mfp-a3-color", "fw-mfp-a3-color-7.4.2", 480, 0.35},
      {"mfp-a4-mono", "fw-mfp-a4-mono-5.2.1", 220, 0.30},
      {"printer-a4-color", "fw-printer-a4-color-3.9.0", 140, 0.20},
      {"production-press", "fw-production-press-12.1.3", 860, 0.05},
      {"label-printer", "fw-label-printer-2.0.7", 45, 0.10},
  };
  return all;
}

const std::vector<std::string>& time_zones() {
  static const std::vector<std::string> all{
      "Europe/Berlin",    "Europe/Berlin",      "Europe/London",       "Europe/Paris",
      "America/New_York", "America/Chicago",    "America/Los_Angeles", "America/Sao_Paulo",
      "Asia/Tokyo",       "Asia/Tokyo",         "Asia/Singapore",      "Asia/Kolkata",
      "Australia/Sydney", "Africa/Johannesburg"};
  return all;
}

/// Daily maintenance windows as operators set them, some across midnight.
const std::vector<std::vector<domain::local_window>>& window_choices() {
  static const std::vector<std::vector<domain::local_window>> all{
      {{60, 300}}, {{22 * 60, 4 * 60}}, {{0, 360}}, {{120, 240}}, {{60, 180}, {13 * 60, 14 * 60}}};
  return all;
}

std::string padded(const char* prefix, std::int64_t n, std::int64_t count) {
  const auto width = std::to_string(std::max<std::int64_t>(count - 1, 1)).size();
  std::string digits = std::to_string(n);
  return prefix + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

struct customer_plan {
  std::vector<index_t> site_proxies;
  std::int32_t rollout_minute = 0;  ///< Local time of day the customer rolls out at.
  std::int32_t counter_minute = 0;  ///< Local time of day counters are uploaded.
  std::int64_t status_phase = 0;    ///< Seconds into each 15 minutes.
  double size_weight = 1;
  std::vector<index_t> devices;
};

class generator {
 public:
  explicit generator(const fleet_generator_config& c) : cfg_(c), rng_(c.seed) {}

  domain::fleet run() {
    const instant start = *domain::parse_rfc3339(cfg_.start);
    f_.horizon = domain::interval{start, start + cfg_.days * domain::seconds_per_day};
    first_local_day_ = start / domain::seconds_per_day;
    make_proxies_and_customers();
    make_devices();
    make_packages();
    make_jobs();
    make_services();
    size_proxies();
    return std::move(f_);
  }

 private:
  void make_proxies_and_customers() {
    const std::int64_t customers =
        cfg_.customers > 0 ? cfg_.customers : std::max<std::int64_t>(1, cfg_.devices / 150);
    // A tenth of the proxies (none in small fleets) are regional: chains end there.
    regional_ = cfg_.proxies >= 4 ? std::max<std::int64_t>(1, cfg_.proxies / 10) : 0;
    const std::int64_t sites = cfg_.proxies - regional_;
    for (std::int64_t p = 0; p < cfg_.proxies; ++p)
      f_.proxies.push_back({padded("px-", p + 1, cfg_.proxies + 1), 1, 1});
    const std::int64_t per_customer =
        std::clamp<std::int64_t>((sites + customers / 2) / customers, 1, 4);
    for (std::int64_t c = 0; c < customers; ++c) {
      domain::customer out;
      out.id = padded("c", c + 1, customers + 1);
      out.time_zone = rng_.pick(time_zones());
      if (!rng_.chance(cfg_.no_distribution_share))
        out.services.emplace_back(domain::services::software_distribution);
      if (rng_.chance(0.9)) out.services.emplace_back(domain::services::counter_collection);
      if (rng_.chance(0.7)) out.services.emplace_back(domain::services::status_monitoring);
      if (rng_.chance(0.4)) out.services.emplace_back(domain::services::log_upload);
      if (rng_.chance(0.3)) out.services.emplace_back(domain::services::remote_maintenance);
      if (rng_.chance(cfg_.maintenance_share))
        out.maintenance_windows = rng_.pick(window_choices());
      customer_plan plan;
      for (std::int64_t k = 0; k < per_customer; ++k)
        plan.site_proxies.push_back(static_cast<index_t>((c * sites / customers + k) % sites));
      // Operators roll out at the start of their window, or at a favourite hour.
      plan.rollout_minute =
          out.maintenance_windows.empty()
              ? static_cast<std::int32_t>(rng_.pick(std::vector<int>{2, 3, 13, 22}) * 60)
              : out.maintenance_windows.front().from_minute;
      plan.counter_minute = static_cast<std::int32_t>(23 * 60 + rng_.between(0, 5) * 5);
      plan.status_phase = rng_.between(0, 899);
      plan.size_weight = 1.0 / std::pow(static_cast<double>(c + 1), 0.7);
      plans_.push_back(std::move(plan));
      f_.customers.push_back(std::move(out));
    }
  }

  index_t pick_customer() {
    if (cumulative_.empty()) {
      double total = 0;
      for (const auto& p : plans_) cumulative_.push_back(total += p.size_weight);
    }
    const double x = rng_.unit() * cumulative_.back();
    return static_cast<index_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
                                cumulative_.begin());
  }

  void make_devices() {
    const auto customers = static_cast<std::int64_t>(f_.customers.size());
    for (std::int64_t d = 0; d < cfg_.devices; ++d) {
      domain::device out;
      out.id = padded("d", d + 1, cfg_.devices + 1);
      out.customer = d < customers ? static_cast<index_t>(d) : pick_customer();
      out.mode = rng_.chance(cfg_.direct_share) ? domain::monitoring_mode::direct
                                                : domain::monitoring_mode::proxy;
      const auto& plan = plans_[out.customer];
      const index_t site = rng_.pick(plan.site_proxies);
      out.path.push_back(site);
      if (rng_.chance(cfg_.chained_share)) {
        if (regional_ > 0)
          out.path.push_back(static_cast<index_t>(cfg_.proxies - regional_ + site % regional_));
        else if (plan.site_proxies.size() > 1)
          out.path.push_back(plan.site_proxies[(std::find(plan.site_proxies.begin(),
                                                          plan.site_proxies.end(), site) -
                                                plan.site_proxies.begin() + 1) %
                                               plan.site_proxies.size()]);
      }
      double x = rng_.unit();
      const device_model* model = &models().back();
      for (const auto& m : models())
        if ((x -= m.share) < 0) {
          model = &m;
          break;
        }
      out.model = model->name;
      plans_[out.customer].devices.push_back(static_cast<index_t>(d));
      f_.devices.push_back(std::move(out));
    }
  }

  void make_packages() {
    for (const auto& m : models()) {
      const auto dash = m.package.rfind('-');
      f_.packages.push_back({m.package, m.package.substr(dash + 1), m.package_mb * 1'000'000});
    }
  }

  const device_model& model_of(index_t d) const {
    return *std::find_if(models().begin(), models().end(),
                         [&](const auto& m) { return m.name == f_.devices[d].model; });
  }

  void make_jobs() {
    for (index_t c = 0; c < f_.customers.size(); ++c) {
      const auto& plan = plans_[c];
      for (std::int64_t r = 0; r < cfg_.rollouts; ++r) {
        const std::int64_t day = rng_.between(0, std::max<std::int64_t>(0, cfg_.days - 2));
        const instant campaign = domain::local_time_to_utc(
            f_.customers[c].time_zone, first_local_day_ + day, plan.rollout_minute);
        for (index_t d : plan.devices) {
          if (!rng_.chance(0.9)) continue;  // not every device is targeted
          const auto& model = model_of(d);
          domain::job j;
          j.device = d;
          j.package = model.package;
          // Per-session bandwidth on a site uplink: 0.25, 0.5 or 1 MB/s.
          j.duration_s = model.package_mb * 4 / (std::int64_t{1} << rng_.between(0, 2));
          j.start =
              campaign + (rng_.chance(cfg_.staggered_start_share) ? rng_.between(1, 6) * 300 : 0);
          if (rng_.chance(cfg_.deadline_share))
            j.deadline = j.start + rng_.between(1, 3) * domain::seconds_per_day;
          if (rng_.chance(cfg_.priority_share))
            j.priority = static_cast<std::int32_t>(rng_.between(1, 3));
          f_.jobs.push_back(std::move(j));
        }
      }
    }
    const auto count = static_cast<std::int64_t>(f_.jobs.size());
    for (std::int64_t j = 0; j < count; ++j)
      f_.jobs[static_cast<std::size_t>(j)].id = padded("j", j + 1, count + 1);
  }

  void make_services() {
    const instant start = f_.horizon->start;
    for (index_t c = 0; c < f_.customers.size(); ++c) {
      const auto& cust = f_.customers[c];
      const auto& plan = plans_[c];
      const instant counters =
          domain::local_time_to_utc(cust.time_zone, first_local_day_, plan.counter_minute);
      // Small sites upload counters all at once; larger ones in twelve cohorts, two minutes apart.
      const bool customer_wide = plan.devices.size() <= 20;
      if (cust.has_service(domain::services::counter_collection) && customer_wide)
        f_.services.push_back(
            {std::nullopt, c, domain::services::counter_collection, counters, 86'400, 30});
      for (index_t d : plan.devices) {
        if (!f_.devices[d].relayed()) continue;
        if (cust.has_service(domain::services::counter_collection) && !customer_wide)
          f_.services.push_back({d, std::nullopt, domain::services::counter_collection,
                                 counters + (d % 12) * 120, 86'400, 30});
        if (cust.has_service(domain::services::status_monitoring) &&
            rng_.chance(cfg_.status_polling_share))
          f_.services.push_back({d, std::nullopt, domain::services::status_monitoring,
                                 start + plan.status_phase, 900, 5});
        if (cust.has_service(domain::services::log_upload) && rng_.chance(0.05))
          f_.services.push_back({d, std::nullopt, domain::services::log_upload,
                                 start + rng_.between(0, 7 * 24 * 6 - 1) * 600, 7 * 86'400, 120});
        if (cust.has_service(domain::services::remote_maintenance) && rng_.chance(0.03))
          f_.services.push_back({d, std::nullopt, domain::services::remote_maintenance,
                                 start + rng_.between(0, 47) * 300, rng_.between(4, 6) * 3600,
                                 600});
      }
    }
  }

  /// Operators size a proxy for its everyday traffic, not for a synchronised rollout:
  /// the threshold clears the services' own peak, the capacity is a fraction of the devices.
  void size_proxies() {
    domain::schedule none(f_.jobs.size(), domain::unscheduled);
    const auto counted = domain::count_communications(f_);
    const auto everyday = domain::build_load_profile(f_, counted, none, *f_.horizon);
    std::vector<std::int64_t> behind(f_.proxies.size(), 0);
    for (const auto& d : f_.devices)
      if (d.relayed())
        for (index_t p : d.path) ++behind[p];
    for (index_t p = 0; p < f_.proxies.size(); ++p) {
      std::int32_t peak = 0;
      for (const auto& step : everyday.proxies[p]) peak = std::max(peak, step.load);
      const auto share = static_cast<std::int64_t>(
          std::lround(static_cast<double>(behind[p]) * (0.15 + 0.2 * rng_.unit())));
      const auto capacity = std::max<std::int64_t>({5, (peak + 2) * 5 / 4 + 1, share});
      f_.proxies[p].capacity = static_cast<std::int32_t>(capacity);
      f_.proxies[p].threshold =
          static_cast<std::int32_t>(std::max<std::int64_t>(peak + 1, capacity * 4 / 5));
    }
  }

  const fleet_generator_config& cfg_;
  random rng_;
  domain::fleet f_;
  std::vector<customer_plan> plans_;
  std::vector<double> cumulative_;
  std::int64_t regional_ = 0;
  std::int64_t first_local_day_ = 0;
};

}  // namespace

domain::expected<fleet_generator_config> validate(fleet_generator_config c) {
  if (c.devices < 1 || c.devices > 50'000'000)
    return domain::error{"--devices", "must be between 1 and 50000000"};
  if (c.proxies < 1 || c.proxies > 1'000'000)
    return domain::error{"--proxies", "must be between 1 and 1000000"};
  if (c.customers < 0 || c.customers > c.devices)
    return domain::error{"--customers", "must be between 0 and --devices"};
  if (c.days < 2 || c.days > 366) return domain::error{"--days", "must be between 2 and 366"};
  if (c.rollouts < 0 || c.rollouts > 20)
    return domain::error{"--rollouts", "must be between 0 and 20"};
  if (auto start = domain::parse_rfc3339(c.start); !start)
    return domain::error{"--start", start.failure().what};
  for (auto [name, share] : {std::pair{"--direct-share", c.direct_share},
                             {"--chained-share", c.chained_share},
                             {"--no-distribution-share", c.no_distribution_share},
                             {"--maintenance-share", c.maintenance_share},
                             {"--deadline-share", c.deadline_share},
                             {"--priority-share", c.priority_share},
                             {"--status-polling-share", c.status_polling_share},
                             {"--staggered-start-share", c.staggered_start_share}})
    if (!(share >= 0 && share <= 1)) return domain::error{name, "must be between 0 and 1"};
  return c;
}

domain::fleet generate_fleet(const fleet_generator_config& config) {
  return generator(config).run();
}

}  // namespace headroom::sim
