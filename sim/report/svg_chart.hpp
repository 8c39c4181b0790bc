#pragma once
// Small SVG charts for the HTML report, written by hand: step lines over a numeric x axis
// and grouped bars. The caller chooses the ticks and colours; every text is escaped here.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace headroom::sim::svg {

/// TEXT with & < > " ' escaped, safe in XML and HTML text and attribute values.
std::string escape(std::string_view text);

struct tick {
  double value = 0;
  std::string label;
  bool major = false;  ///< Drawn darker and its label bold (a day boundary, say).
};

/// Ticks at a round step (1, 2 or 5 times a power of ten) from 0 to at least MAX, about
/// COUNT of them; the last tick is the axis' top.
std::vector<tick> round_ticks(double max, int count);

/// Values held from xs[i] to xs[i + 1]: xs has one more element than ys.
struct step_series {
  std::string name;
  std::string colour;
  std::vector<double> xs;
  std::vector<double> ys;
};

/// A horizontal line across the plot: a threshold, a capacity.
struct rule {
  double y = 0;
  std::string label;
  std::string colour;
  bool dashed = false;
};

struct line_chart {
  std::string title;
  std::vector<std::pair<std::string, std::string>> attributes;  ///< On the <svg>: class, data-.
  int width = 1100;
  int height = 300;
  double x_min = 0;
  double x_max = 1;
  std::vector<tick> x_ticks;
  std::vector<tick> y_ticks;  ///< The last one is the top of the y axis.
  std::string y_label;
  std::vector<rule> rules;
  std::vector<step_series> series;
};

std::string render(const line_chart& chart);

struct bar_series {
  std::string name;
  std::string colour;
  std::vector<double> values;         ///< One per category.
  std::vector<std::string> tooltips;  ///< One per category, or none.
};

/// Bars grouped by category, one bar per series in each group.
struct bar_chart {
  std::string title;
  std::vector<std::pair<std::string, std::string>> attributes;
  int width = 1100;
  int height = 300;
  std::vector<std::string> categories;
  std::vector<tick> y_ticks;
  std::string y_label;
  std::vector<bar_series> series;
};

std::string render(const bar_chart& chart);

}  // namespace headroom::sim::svg
