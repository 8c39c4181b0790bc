#include "distribution/pages/load_chart.hpp"

#include <algorithm>
#include <sstream>

#include "distribution/pages/html.hpp"
#include "domain/counting.hpp"
#include "domain/load_profile.hpp"

namespace headroom::distribution {
namespace {

using domain::instant;

constexpr double chart_width = 960, plot_left = 44, plot_right = 16, plot_top = 14,
                 plot_height = 220;
constexpr double lane_height = 11, lane_gap = 3;
constexpr std::size_t max_lanes = 14;

std::optional<domain::index_t> find_proxy(const domain::fleet& f, const std::string& id) {
  for (std::size_t i = 0; i < f.proxies.size(); ++i)
    if (f.proxies[i].id == id) return static_cast<domain::index_t>(i);
  return std::nullopt;
}

bool behind(const domain::device& d, domain::index_t proxy) {
  return std::find(d.path.begin(), d.path.end(), proxy) != d.path.end();
}

struct scale {
  domain::interval range;
  std::int32_t top_load;
  [[nodiscard]] double x(instant t) const {
    const auto clamped = std::clamp(t, range.start, range.end);
    return plot_left + (chart_width - plot_left - plot_right) *
                           static_cast<double>(clamped - range.start) /
                           static_cast<double>(range.length());
  }
  [[nodiscard]] double y(std::int32_t load) const {
    return plot_top + plot_height -
           plot_height * static_cast<double>(load) / static_cast<double>(top_load);
  }
};

std::string step_path(const domain::load_timeline& t, const scale& s, instant end) {
  std::ostringstream d;
  d.precision(1);
  d << std::fixed;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i == 0)
      d << "M" << s.x(t[0].at) << " " << s.y(t[0].load);
    else
      d << " V" << s.y(t[i].load);
    d << " H" << s.x(i + 1 < t.size() ? t[i + 1].at : end);
  }
  return d.str();
}

/// The tick interval that gives about ten labels over the range.
std::int64_t tick_step(std::int64_t length) {
  for (std::int64_t step : {900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800})
    if (length / step <= 12) return step;
  return 604800;
}

}  // namespace

std::int32_t peak_of(const domain::load_timeline& t) {
  std::int32_t peak = 0;
  for (const auto& s : t) peak = std::max(peak, s.load);
  return peak;
}

domain::expected<proxy_view, failure> build_proxy_view(
    const domain::fleet& f, const std::string& proxy, domain::interval range,
    const std::map<std::string, instant>& moves) {
  const auto p = find_proxy(f, proxy);
  if (!p) return failure{failure_kind::not_found, "query.proxy", "no proxy '" + proxy + "'"};
  if (range.empty())
    return failure{failure_kind::invalid, "query.to", "the range must end after it starts"};
  const auto counted = domain::count_communications(f);
  auto starts = domain::requested_schedule(f);
  std::map<std::string, std::size_t> job_index;
  for (std::size_t j = 0; j < f.jobs.size(); ++j) job_index[f.jobs[j].id] = j;
  for (const auto& [id, to] : moves) {
    const auto it = job_index.find(id);
    if (it == job_index.end())
      return failure{failure_kind::invalid, "move." + id, "no active job '" + id + "'"};
    starts[it->second] = to;
  }
  proxy_view v;
  v.proxy = proxy;
  v.capacity = f.proxies[*p].capacity;
  v.threshold = f.proxies[*p].threshold;
  v.range = range;
  v.has_preview = !moves.empty();
  v.current =
      domain::build_load_profile(f, counted, domain::requested_schedule(f), range).proxies[*p];
  v.preview =
      v.has_preview ? domain::build_load_profile(f, counted, starts, range).proxies[*p] : v.current;
  v.current_windows = domain::find_windows(*p, v.current, v.threshold, range);
  v.preview_windows = domain::find_windows(*p, v.preview, v.threshold, range);
  for (std::size_t j = 0; j < f.jobs.size(); ++j) {
    const auto& job = f.jobs[j];
    if (!counted.job_counts[j] || !behind(f.devices[job.device], *p)) continue;
    const domain::interval now{job.start, job.start + job.duration_s};
    const domain::interval then{starts[j], starts[j] + job.duration_s};
    if (!now.intersects(range) && !then.intersects(range)) continue;
    v.jobs.push_back({job.id, f.devices[job.device].id, job.start, starts[j], job.duration_s,
                      starts[j] != job.start});
  }
  std::sort(v.jobs.begin(), v.jobs.end(), [](const chart_job& a, const chart_job& b) {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  });
  return v;
}

std::string render_load_chart(const proxy_view& v, const std::string& zone) {
  const auto top = std::max({v.capacity, peak_of(v.current), peak_of(v.preview), 1}) + 1;
  const scale s{v.range, top};
  // Jobs go into lanes below the plot: the first lane whose last bar ended before this one starts.
  std::vector<instant> lane_end;
  std::vector<std::pair<const chart_job*, std::size_t>> placed;
  std::size_t hidden = 0;
  for (const auto& j : v.jobs) {
    const auto first = std::min(j.start, j.preview_start);
    const auto last = std::max(j.start, j.preview_start) + j.duration_s;
    std::size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > first) ++lane;
    if (lane == max_lanes) {
      ++hidden;
      continue;
    }
    if (lane == lane_end.size()) lane_end.push_back(0);
    lane_end[lane] = last;
    placed.emplace_back(&j, lane);
  }
  const double lanes_top = plot_top + plot_height + 26;
  const double height =
      lanes_top + static_cast<double>(lane_end.size()) * (lane_height + lane_gap) + 20;
  std::ostringstream svg;
  svg.precision(1);
  svg << std::fixed;
  svg << "<svg id=\"load-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << chart_width
      << " " << height << "\" width=\"100%\" role=\"img\" aria-label=\"Predicted load of proxy "
      << escape(v.proxy) << " against its threshold\" data-peak=\"" << peak_of(v.current)
      << "\" data-preview-peak=\"" << peak_of(v.preview)
      << "\" style=\"background:#fff;border:1px solid #d0d5dc\">";
  for (const auto& w : v.has_preview ? v.preview_windows : v.current_windows)
    svg << "<rect class=\"overload\" x=\"" << s.x(w.span.start) << "\" y=\"" << plot_top
        << "\" width=\"" << std::max(1.0, s.x(w.span.end) - s.x(w.span.start)) << "\" height=\""
        << plot_height << "\" fill=\"#b00020\" fill-opacity=\"0.10\"/>";
  for (std::int32_t load = 0; load <= top; load += std::max(1, top / 6)) {
    svg << "<line x1=\"" << plot_left << "\" x2=\"" << chart_width - plot_right << "\" y1=\""
        << s.y(load) << "\" y2=\"" << s.y(load) << "\" stroke=\"#eef1f5\"/><text x=\""
        << plot_left - 6 << "\" y=\"" << s.y(load) + 4
        << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">" << load << "</text>";
  }
  const auto step = tick_step(v.range.length());
  for (instant t = (v.range.start + step - 1) / step * step; t <= v.range.end; t += step) {
    const auto label = local_time(t, zone);
    svg << "<line x1=\"" << s.x(t) << "\" x2=\"" << s.x(t) << "\" y1=\"" << plot_top << "\" y2=\""
        << plot_top + plot_height << "\" stroke=\"#eef1f5\"/><text x=\"" << s.x(t) << "\" y=\""
        << plot_top + plot_height + 16
        << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">"
        << escape(step >= 86400 ? label.substr(5, 5) : label.substr(11, 5)) << "</text>";
  }
  svg << "<line id=\"capacity-line\" x1=\"" << plot_left << "\" x2=\"" << chart_width - plot_right
      << "\" y1=\"" << s.y(v.capacity) << "\" y2=\"" << s.y(v.capacity)
      << "\" stroke=\"#6c757d\" stroke-dasharray=\"2 3\"/>";
  svg << "<line id=\"threshold-line\" x1=\"" << plot_left << "\" x2=\"" << chart_width - plot_right
      << "\" y1=\"" << s.y(v.threshold) << "\" y2=\"" << s.y(v.threshold)
      << "\" stroke=\"#b00020\" stroke-dasharray=\"6 4\"/>";
  svg << "<path id=\"load-current\" d=\"" << step_path(v.current, s, v.range.end)
      << "\" fill=\"none\" stroke=\"" << (v.has_preview ? "#9aa5b1" : "#1d3557")
      << "\" stroke-width=\"2\"/>";
  if (v.has_preview)
    svg << "<path id=\"load-preview\" d=\"" << step_path(v.preview, s, v.range.end)
        << "\" fill=\"none\" stroke=\"#e07a00\" stroke-width=\"2.2\"/>";
  for (const auto& [j, lane] : placed) {
    const double y = lanes_top + static_cast<double>(lane) * (lane_height + lane_gap);
    const auto bar = [&](instant start, const char* fill, const char* stroke) {
      svg << "<rect x=\"" << s.x(start) << "\" y=\"" << y << "\" width=\""
          << std::max(2.0, s.x(start + j->duration_s) - s.x(start)) << "\" height=\"" << lane_height
          << "\" fill=\"" << fill << "\" stroke=\"" << stroke << "\"><title>" << escape(j->id)
          << " on " << escape(j->device) << "</title></rect>";
    };
    bar(j->start, j->moving ? "#dfe3e8" : "#457b9d", j->moving ? "#9aa5b1" : "none");
    if (j->moving) bar(j->preview_start, "#e07a00", "none");
  }
  if (hidden > 0)
    svg << "<text x=\"" << plot_left << "\" y=\"" << height - 6
        << "\" font-size=\"11\" fill=\"#555\">and " << hidden << " more jobs</text>";
  svg << "</svg>";
  return svg.str();
}

}  // namespace headroom::distribution
