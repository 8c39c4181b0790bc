#include "distribution/pages/load_chart.hpp"

#include <algorithm>
#include <sstream>

#include "distribution/pages/html.hpp"
#include "domain/counting.hpp"
#include "domain/load_profile.hpp"

namespace headroom::distribution {
namespace {

using domain::instant;

/// Where a chart draws: its width, the plot's margins and height (all in SVG units).
struct geometry {
  double width, left, right, top, plot_height;
};
constexpr geometry full_size{960, 44, 16, 14, 220};
constexpr geometry small_size{360, 30, 18, 8, 72};
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
  geometry g;
  domain::interval range;
  std::int32_t top_load;
  [[nodiscard]] double x(instant t) const {
    const auto clamped = std::clamp(t, range.start, range.end);
    return g.left + (g.width - g.left - g.right) * static_cast<double>(clamped - range.start) /
                        static_cast<double>(range.length());
  }
  [[nodiscard]] double y(std::int32_t load) const {
    return g.top + g.plot_height -
           g.plot_height * static_cast<double>(load) / static_cast<double>(top_load);
  }
  [[nodiscard]] double right() const { return g.width - g.right; }
  [[nodiscard]] double bottom() const { return g.top + g.plot_height; }
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

/// The tick interval that gives at most `labels` labels over the range.
std::int64_t tick_step(std::int64_t length, std::int64_t labels) {
  for (std::int64_t step : {900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800})
    if (length / step <= labels) return step;
  return 604800;
}

/// The time axis: a label (in the zone) and a grid line at every tick.
void time_axis(std::ostream& svg, const scale& s, const std::string& zone, std::int64_t labels) {
  const auto step = tick_step(s.range.length(), labels);
  for (instant t = (s.range.start + step - 1) / step * step; t <= s.range.end; t += step) {
    const auto label = local_time(t, zone);
    svg << "<line x1=\"" << s.x(t) << "\" x2=\"" << s.x(t) << "\" y1=\"" << s.g.top << "\" y2=\""
        << s.bottom() << "\" stroke=\"#eef1f5\"/><text x=\"" << s.x(t) << "\" y=\""
        << s.bottom() + 16 << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">"
        << escape(step >= 86400 ? label.substr(5, 5) : label.substr(11, 5)) << "</text>";
  }
}

/// Names a part of the chart: by id on the schedule screen's single chart, by class on the
/// warning screen's many.
std::string part(const chart_style& style, const char* name) {
  return std::string(style.compact ? " class=\"" : " id=\"") + name + "\"";
}

/// The threshold, dashed red across the plot.
void threshold_line(std::ostream& svg, const scale& s, const chart_style& style,
                    std::int32_t threshold) {
  svg << "<line" << part(style, "threshold-line") << " x1=\"" << s.g.left << "\" x2=\"" << s.right()
      << "\" y1=\"" << s.y(threshold) << "\" y2=\"" << s.y(threshold)
      << "\" stroke=\"#b00020\" stroke-dasharray=\"6 4\"/>";
}

/// The warning screen's chart: the load around one window against the threshold, the
/// window outlined, the peak written above the load where it is reached.
std::string render_small_chart(const proxy_view& v, const std::string& zone,
                               const chart_style& style) {
  // The peak written is the marked window's, and the highest load scales the plot.
  const auto within = style.marked.value_or(v.range);
  std::int32_t peak = 0;
  std::size_t peak_step = 0;
  for (std::size_t i = 0; i < v.current.size(); ++i) {
    const auto until = i + 1 < v.current.size() ? v.current[i + 1].at : v.range.end;
    if (domain::interval{v.current[i].at, until}.intersects(within) && v.current[i].load > peak)
      peak = v.current[i].load, peak_step = i;
  }
  const auto highest = std::max({peak_of(v.current), v.threshold, 1});
  // A quarter above the highest load, so that the peak's label fits above it.
  const scale s{small_size, v.range, highest + std::max(1, highest / 4)};
  const double height = s.bottom() + 20;
  std::ostringstream svg;
  svg.precision(1);
  svg << std::fixed;
  svg << "<svg class=\"window-chart\" id=\"" << escape(style.id)
      << "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << s.g.width << " " << height
      << "\" width=\"" << s.g.width << "\" height=\"" << height
      << "\" role=\"img\" aria-label=\"Predicted load of proxy " << escape(v.proxy) << " from "
      << escape(local_time(v.range.start, zone)) << " to " << escape(local_time(v.range.end, zone))
      << ": peak " << peak << (style.marked ? " in the window" : "") << " against threshold "
      << v.threshold << "\" data-peak=\"" << peak << "\" data-threshold=\"" << v.threshold
      << "\" style=\"display:block;background:#fff;border:1px solid #d0d5dc\">";
  time_axis(svg, s, zone, 4);
  for (const auto& w : v.current_windows)
    svg << "<rect class=\"overload\" x=\"" << s.x(w.span.start) << "\" y=\"" << s.g.top
        << "\" width=\"" << std::max(1.0, s.x(w.span.end) - s.x(w.span.start)) << "\" height=\""
        << s.g.plot_height << "\" fill=\"#b00020\" fill-opacity=\"0.10\"/>";
  if (style.marked)
    svg << "<rect class=\"marked-window\" x=\"" << s.x(style.marked->start) << "\" y=\"" << s.g.top
        << "\" width=\"" << std::max(1.0, s.x(style.marked->end) - s.x(style.marked->start))
        << "\" height=\"" << s.g.plot_height
        << "\" fill=\"none\" stroke=\"#b00020\" stroke-width=\"1.2\"/>";
  svg << "<line x1=\"" << s.g.left << "\" x2=\"" << s.right() << "\" y1=\"" << s.y(0) << "\" y2=\""
      << s.y(0) << "\" stroke=\"#9aa5b1\"/><text x=\"" << s.g.left - 4 << "\" y=\"" << s.y(0) + 4
      << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">0</text>";
  threshold_line(svg, s, style, v.threshold);
  svg << "<text class=\"threshold-label\" x=\"" << s.g.left - 4 << "\" y=\"" << s.y(v.threshold) + 4
      << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#b00020\">" << v.threshold << "</text>";
  svg << "<path" << part(style, "load-current") << " d=\"" << step_path(v.current, s, v.range.end)
      << "\" fill=\"none\" stroke=\"#1d3557\" stroke-width=\"2\"/>";
  // The peak's label, centred over the part of its step inside the window, kept in the plot.
  if (!v.current.empty()) {
    const auto& step = v.current[peak_step];
    const auto until = peak_step + 1 < v.current.size() ? v.current[peak_step + 1].at : v.range.end;
    const auto mid = (s.x(std::max(step.at, within.start)) + s.x(std::min(until, within.end))) / 2;
    svg << "<text class=\"peak-label\" x=\"" << std::clamp(mid, s.g.left + 32, s.right() - 32)
        << "\" y=\"" << s.y(peak) - 4
        << "\" font-size=\"11\" font-weight=\"600\" text-anchor=\"middle\" stroke=\"#fff\" "
           "stroke-width=\"3\" paint-order=\"stroke\" fill=\""
        << (peak > v.threshold ? "#b00020" : "#1d3557") << "\">peak " << peak << "</text>";
  }
  svg << "</svg>";
  return svg.str();
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
  if (!moves.empty())
    for (std::size_t j = 0; j < f.jobs.size(); ++j)
      if (const auto to = moves.find(f.jobs[j].id); to != moves.end()) starts[j] = to->second;
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

std::vector<std::optional<proxy_view>> build_current_views(
    const domain::fleet& f, const std::vector<view_request>& wanted) {
  std::vector<std::optional<proxy_view>> out(wanted.size());
  if (wanted.empty()) return out;
  domain::interval all = wanted.front().range;
  for (const auto& w : wanted)
    all = {std::min(all.start, w.range.start), std::max(all.end, w.range.end)};
  if (all.empty()) return out;
  const auto profile = domain::build_load_profile(f, domain::count_communications(f),
                                                  domain::requested_schedule(f), all);
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const auto& [proxy, range] = wanted[i];
    const auto p = find_proxy(f, proxy);
    if (!p || range.empty()) continue;
    // The profile's timeline cut to the range: the load at its start, then the steps inside.
    const auto& whole = profile.proxies[*p];
    proxy_view v;
    v.proxy = proxy;
    v.capacity = f.proxies[*p].capacity;
    v.threshold = f.proxies[*p].threshold;
    v.range = range;
    v.current.push_back({range.start, domain::load_at(whole, range.start)});
    for (const auto& step : whole)
      if (step.at > range.start && step.at < range.end) v.current.push_back(step);
    v.preview = v.current;
    v.current_windows = domain::find_windows(*p, v.current, v.threshold, range);
    v.preview_windows = v.current_windows;
    out[i] = std::move(v);
  }
  return out;
}

std::string render_load_chart(const proxy_view& v, const std::string& zone,
                              const chart_style& style) {
  if (style.compact) return render_small_chart(v, zone, style);
  const auto top = std::max({v.capacity, peak_of(v.current), peak_of(v.preview), 1}) + 1;
  const scale s{full_size, v.range, top};
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
  const double lanes_top = s.bottom() + 26;
  const double height =
      lanes_top + static_cast<double>(lane_end.size()) * (lane_height + lane_gap) + 20;
  std::ostringstream svg;
  svg.precision(1);
  svg << std::fixed;
  svg << "<svg id=\"" << escape(style.id)
      << "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << s.g.width << " " << height
      << "\" width=\"100%\" role=\"img\" aria-label=\"Predicted load of proxy " << escape(v.proxy)
      << " against its threshold\" data-peak=\"" << peak_of(v.current) << "\" data-preview-peak=\""
      << peak_of(v.preview) << "\" style=\"background:#fff;border:1px solid #d0d5dc\">";
  for (const auto& w : v.has_preview ? v.preview_windows : v.current_windows)
    svg << "<rect class=\"overload\" x=\"" << s.x(w.span.start) << "\" y=\"" << s.g.top
        << "\" width=\"" << std::max(1.0, s.x(w.span.end) - s.x(w.span.start)) << "\" height=\""
        << s.g.plot_height << "\" fill=\"#b00020\" fill-opacity=\"0.10\"/>";
  for (std::int32_t load = 0; load <= top; load += std::max(1, top / 6)) {
    svg << "<line x1=\"" << s.g.left << "\" x2=\"" << s.right() << "\" y1=\"" << s.y(load)
        << "\" y2=\"" << s.y(load) << "\" stroke=\"#eef1f5\"/><text x=\"" << s.g.left - 6
        << "\" y=\"" << s.y(load) + 4 << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">"
        << load << "</text>";
  }
  time_axis(svg, s, zone, 12);
  svg << "<line id=\"capacity-line\" x1=\"" << s.g.left << "\" x2=\"" << s.right() << "\" y1=\""
      << s.y(v.capacity) << "\" y2=\"" << s.y(v.capacity)
      << "\" stroke=\"#6c757d\" stroke-dasharray=\"2 3\"/>";
  threshold_line(svg, s, style, v.threshold);
  svg << "<path id=\"load-current\" d=\"" << step_path(v.current, s, v.range.end)
      << "\" fill=\"none\" stroke=\"" << (v.has_preview ? "#9aa5b1" : "#1d3557")
      << "\" stroke-width=\"2\"/>";
  if (v.has_preview)
    svg << "<path id=\"load-preview\" d=\"" << step_path(v.preview, s, v.range.end)
        << "\" fill=\"none\" stroke=\"#e07a00\" stroke-width=\"2.2\"/>";
  for (const auto& [placed_job, lane] : placed) {
    const double y = lanes_top + static_cast<double>(lane) * (lane_height + lane_gap);
    // A copy, not the binding: clang 14 (the fuzz preset) cannot capture a binding.
    const auto j = placed_job;
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
    svg << "<text x=\"" << s.g.left << "\" y=\"" << height - 6
        << "\" font-size=\"11\" fill=\"#555\">and " << hidden << " more jobs</text>";
  svg << "</svg>";
  return svg.str();
}

}  // namespace headroom::distribution
