#include "sim/report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/html_escape.hpp"

namespace headroom::sim::svg {
namespace {

constexpr double left = 60;
constexpr double right = 96;        // Room for a rule's label after the plot.
constexpr double top = 56;          // The title and the legend.
constexpr double bottom = 30;       // The x labels.
constexpr double char_width = 6.8;  // Of the 12 px sans-serif, to lay out the legend.

/// The plot area of a chart and how values map into it.
struct frame {
  double x0, x1, y0, y1;  // Pixels: x0 left, y0 top.
  double v_min, v_max, w_max;

  [[nodiscard]] double x(double v) const {
    return v_max == v_min ? x0 : x0 + (v - v_min) / (v_max - v_min) * (x1 - x0);
  }
  [[nodiscard]] double y(double w) const {
    return w_max <= 0 ? y1 : y1 - std::clamp(w / w_max, 0.0, 1.05) * (y1 - y0);
  }
};

std::string num(double v) {
  auto text = fmt::format("{:.1f}", v);
  if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
  return text == "-0" ? "0" : text;
}

std::string open_svg(int width, int height,
                     const std::vector<std::pair<std::string, std::string>>& attributes,
                     const std::string& title) {
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12")",
      width, height, width, height, escape(title));
  for (const auto& [name, value] : attributes)
    out += fmt::format(R"( {}="{}")", escape(name), escape(value));
  out += ">\n";
  out +=
      fmt::format(R"(<text x="{}" y="18" font-size="14" font-weight="600" fill="#222">{}</text>)",
                  num(left), escape(title));
  out += '\n';
  return out;
}

/// One row of swatches under the title; a line or a square per series.
template <class Series>
std::string legend(const std::vector<Series>& series, bool squares) {
  std::string out;
  double x = left;
  for (const auto& s : series) {
    if (squares)
      out += fmt::format(R"(<rect x="{}" y="32" width="12" height="12" fill="{}"/>)", num(x),
                         escape(s.colour));
    else
      out += fmt::format(
          R"(<line x1="{}" y1="38" x2="{}" y2="38" stroke="{}" stroke-width="3" stroke-linecap="round"/>)",
          num(x), num(x + 16), escape(s.colour));
    out += fmt::format(R"(<text x="{}" y="42" fill="#333">{}</text>)", num(x + 20), escape(s.name));
    out += '\n';
    x += 20 + char_width * static_cast<double>(s.name.size()) + 18;
  }
  return out;
}

std::string y_axis(const frame& f, const std::vector<tick>& ticks, const std::string& label) {
  std::string out;
  for (const auto& t : ticks) {
    const auto y = num(f.y(t.value));
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#e3e3e3"/>)", num(f.x0), y,
                       num(f.x1), y);
    out += fmt::format(
        R"(<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="#555">{}</text>)",
        num(f.x0 - 6), y, escape(t.label));
    out += '\n';
  }
  if (!label.empty())
    out +=
        fmt::format(
            R"svg(<text transform="translate(14 {}) rotate(-90)" text-anchor="middle" fill="#555">{}</text>)svg",
            num((f.y0 + f.y1) / 2), escape(label)) +
        "\n";
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>)", num(f.x0),
                     num(f.y1), num(f.x1), num(f.y1)) +
         "\n";
  return out;
}

std::string x_axis(const frame& f, const std::vector<tick>& ticks) {
  std::string out;
  for (const auto& t : ticks) {
    if (t.value < f.v_min || t.value > f.v_max) continue;
    const auto x = num(f.x(t.value));
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>)", x, num(f.y0), x,
                       num(f.y1 + 4), t.major ? "#b8b8b8" : "#ececec");
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" fill="{}"{}>{}</text>)", x,
                       num(f.y1 + 18), t.major ? "#222" : "#555",
                       t.major ? R"( font-weight="600")" : "", escape(t.label));
    out += '\n';
  }
  return out;
}

std::string step_path(const frame& f, const step_series& s) {
  const auto n = std::min(s.ys.size(), s.xs.empty() ? 0 : s.xs.size() - 1);
  if (n == 0) return {};
  std::string d = fmt::format("M{} {}", num(f.x(s.xs[0])), num(f.y(s.ys[0])));
  for (std::size_t i = 1; i <= n; ++i) {
    // Only where the value changes, and at the end: a flat run is one segment.
    if (i < n && s.ys[i] == s.ys[i - 1]) continue;
    d += fmt::format("H{}", num(f.x(s.xs[i])));
    if (i < n) d += fmt::format("V{}", num(f.y(s.ys[i])));
  }
  return fmt::format(
             R"(<path d="{}" fill="none" stroke="{}" stroke-width="1.6" stroke-linejoin="round" stroke-opacity="0.9"><title>{}</title></path>)",
             d, escape(s.colour), escape(s.name)) +
         "\n";
}

std::string rules(const frame& f, std::vector<rule> list) {
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.y > b.y; });
  std::string out;
  double last_label_y = -1e9;
  for (const auto& r : list) {
    const auto y = f.y(r.y);
    out += fmt::format(
        R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.4"{}/>)", num(f.x0),
        num(y), num(f.x1), num(y), escape(r.colour), r.dashed ? R"( stroke-dasharray="6 4")" : "");
    // Labels of close rules (a threshold just under the capacity) would overprint.
    const auto label_y = std::max(y, last_label_y + 13);
    last_label_y = label_y;
    out += fmt::format(R"(<text x="{}" y="{}" dominant-baseline="middle" fill="{}">{}</text>)",
                       num(f.x1 + 6), num(label_y), escape(r.colour), escape(r.label));
    out += '\n';
  }
  return out;
}

double top_of(const std::vector<tick>& ticks) { return ticks.empty() ? 1 : ticks.back().value; }

}  // namespace

std::string escape(std::string_view text) { return common::html_escape(text); }

std::vector<tick> round_ticks(double max, int count) {
  if (!(max > 0)) max = 1;
  count = std::max(count, 1);
  const double raw = max / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (const double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<tick> ticks;
  for (int i = 0;; ++i) {
    const double v = i * step;
    ticks.push_back({v, step >= 1 ? fmt::format("{:.0f}", v) : fmt::format("{:g}", v)});
    if (v >= max - step * 1e-9) break;
  }
  return ticks;
}

std::string render(const line_chart& chart) {
  const frame f{left,        chart.width - right,  top, chart.height - bottom, chart.x_min,
                chart.x_max, top_of(chart.y_ticks)};
  std::string out = open_svg(chart.width, chart.height, chart.attributes, chart.title);
  out += legend(chart.series, false);
  out += y_axis(f, chart.y_ticks, chart.y_label);
  out += x_axis(f, chart.x_ticks);
  for (const auto& s : chart.series) out += step_path(f, s);
  out += rules(f, chart.rules);
  out += "</svg>\n";
  return out;
}

std::string render(const bar_chart& chart) {
  const auto groups = std::max<std::size_t>(chart.categories.size(), 1);
  const frame f{left, chart.width - 24.0, top, chart.height - bottom, 0, 1, top_of(chart.y_ticks)};
  std::string out = open_svg(chart.width, chart.height, chart.attributes, chart.title);
  out += legend(chart.series, true);
  out += y_axis(f, chart.y_ticks, chart.y_label);
  const double group_width = (f.x1 - f.x0) / static_cast<double>(groups);
  const double bar_width =
      group_width * 0.8 / static_cast<double>(std::max<std::size_t>(chart.series.size(), 1));
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double gx = f.x0 + group_width * static_cast<double>(c);
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const auto& series = chart.series[s];
      const double v = c < series.values.size() ? series.values[c] : 0;
      const double y = f.y(v);
      const double x = gx + group_width * 0.1 + bar_width * static_cast<double>(s);
      out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}">)", num(x), num(y),
                         num(std::max(bar_width - 1, 1.0)), num(f.y1 - y), escape(series.colour));
      if (c < series.tooltips.size())
        out += fmt::format("<title>{}</title>", escape(series.tooltips[c]));
      out += "</rect>\n";
    }
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" fill="#333">{}</text>)",
                       num(gx + group_width / 2), num(f.y1 + 18), escape(chart.categories[c]));
    out += '\n';
  }
  out += "</svg>\n";
  return out;
}

}  // namespace headroom::sim::svg
