#include "sim/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "sim/report/summary_table.hpp"
#include "sim/report/svg_chart.hpp"

namespace headroom::sim {
namespace {

using svg::escape;

constexpr int chart_width = 1100;
constexpr int plot_columns = 944;  // The plot's width in pixels (svg_chart's margins).

/// Okabe–Ito: told apart with every common colour-vision deficiency; fixed per strategy, so
/// that a strategy has the same colour in every chart and the table.
std::string colour(strategy s) {
  switch (s) {
    case strategy::as_scheduled:
      return "#E69F00";
    case strategy::rate_limit:
      return "#56B4E9";
    case strategy::rollout_groups:
      return "#CC79A7";
    case strategy::headroom_warn:
      return "#009E73";
    case strategy::headroom_auto:
      return "#0072B2";
  }
  return "#000000";
}

std::string thousands(std::int64_t v) {
  auto digits = std::to_string(v < 0 ? -v : v);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return v < 0 ? "-" + digits : digits;
}

/// "2026-12-07 06:00 UTC": a page's reader needs no seconds and no T.
std::string readable_utc(domain::instant t) {
  const auto text = domain::format_utc(t);
  return text.substr(0, 10) + " " + text.substr(11, 5) + " UTC";
}

// ---- the load charts --------------------------------------------------------------------

/// The strategy whose peaks choose the charted proxies: as scheduled when it was run.
const strategy_result* reference(const simulation_result& result) {
  for (const auto& s : result.strategies)
    if (s.which == strategy::as_scheduled) return &s;
  return result.strategies.empty() ? nullptr : &result.strategies.front();
}

std::int32_t peak_of(const strategy_result& s, std::size_t p) {
  return p < s.peak.size() ? s.peak[p] : 0;
}

std::vector<std::size_t> fullest_proxies(const domain::fleet& fleet, const strategy_result& s,
                                         int count) {
  std::vector<std::size_t> order(fleet.proxies.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    const std::int64_t lhs = std::int64_t{peak_of(s, a)} * std::max(fleet.proxies[b].capacity, 1);
    const std::int64_t rhs = std::int64_t{peak_of(s, b)} * std::max(fleet.proxies[a].capacity, 1);
    return lhs != rhs ? lhs > rhs : fleet.proxies[a].id < fleet.proxies[b].id;
  });
  order.resize(std::min(order.size(), static_cast<std::size_t>(std::max(count, 0))));
  return order;
}

std::int64_t series_end(const load_series& l) {
  std::size_t buckets = 0;
  for (const auto& v : l.peak_by_proxy) buckets = std::max(buckets, v.size());
  return l.origin + static_cast<std::int64_t>(buckets) * l.bucket_s;
}

/// From the earliest origin to the latest end of any strategy's load; the horizon when
/// there is no load at all.
domain::interval time_axis(const simulation_result& result) {
  domain::interval axis{0, 0};
  bool any = false;
  for (const auto& s : result.strategies) {
    const auto end = series_end(s.load);
    if (end <= s.load.origin) continue;
    axis = any ? domain::interval{std::min(axis.start, s.load.origin), std::max(axis.end, end)}
               : domain::interval{s.load.origin, end};
    any = true;
  }
  if (!any) axis = result.horizon;
  if (axis.end <= axis.start) axis.end = axis.start + 3600;
  return axis;
}

/// One proxy's load under one strategy over the whole axis, 0 where it has no bucket. More
/// buckets than pixels are merged by their maximum, so that no peak disappears.
svg::step_series load_steps(const strategy_result& s, std::size_t proxy, domain::interval axis) {
  svg::step_series out{std::string(to_string(s.which)), colour(s.which), {}, {}};
  static const std::vector<std::int32_t> none;
  const auto& values = proxy < s.load.peak_by_proxy.size() ? s.load.peak_by_proxy[proxy] : none;
  const auto bucket = std::max<std::int64_t>(s.load.bucket_s, 1);
  const double span = static_cast<double>(axis.length());
  const auto columns =
      std::min<std::int64_t>(plot_columns, std::max<std::int64_t>(axis.length() / bucket, 1));
  const double width = span / static_cast<double>(columns);
  std::vector<double> merged(static_cast<std::size_t>(columns), 0.0);
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto from = s.load.origin + static_cast<std::int64_t>(k) * bucket - axis.start;
    const auto first = static_cast<std::int64_t>(static_cast<double>(from) / width);
    const auto last = static_cast<std::int64_t>(static_cast<double>(from + bucket - 1) / width);
    for (auto c = std::max<std::int64_t>(first, 0); c <= std::min(last, columns - 1); ++c)
      merged[static_cast<std::size_t>(c)] =
          std::max(merged[static_cast<std::size_t>(c)], static_cast<double>(values[k]));
  }
  for (std::int64_t c = 0; c < columns; ++c) {
    out.xs.push_back(static_cast<double>(axis.start) + width * static_cast<double>(c));
    out.ys.push_back(merged[static_cast<std::size_t>(c)]);
  }
  out.xs.push_back(static_cast<double>(axis.end));
  return out;
}

/// "Dec 07" at midnight, "06:00" between: the ticks at a round step for about ten labels.
std::vector<svg::tick> time_ticks(domain::interval axis) {
  constexpr std::int64_t hour = 3600;
  constexpr std::array<std::int64_t, 12> steps{hour,       2 * hour,   3 * hour,   6 * hour,
                                               12 * hour,  24 * hour,  48 * hour,  96 * hour,
                                               168 * hour, 336 * hour, 720 * hour, 2160 * hour};
  std::int64_t step = steps.back();
  for (const auto s : steps)
    if (axis.length() / s <= 10) {
      step = s;
      break;
    }
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::vector<svg::tick> ticks;
  auto t = (axis.start + step - 1) / step * step;
  if (t < axis.start) t += step;
  for (; t <= axis.end; t += step) {
    const auto text = domain::format_utc(t);  // YYYY-MM-DDTHH:MM:SSZ
    const bool midnight = t % domain::seconds_per_day == 0;
    const auto month = std::stoi(text.substr(5, 2));
    ticks.push_back({static_cast<double>(t),
                     midnight ? fmt::format("{} {}", months[static_cast<std::size_t>(month - 1)],
                                            text.substr(8, 2))
                              : text.substr(11, 5),
                     midnight});
  }
  return ticks;
}

std::string load_chart(const domain::fleet& fleet, const simulation_result& result,
                       const strategy_result& ref, std::size_t p, domain::interval axis) {
  const auto& proxy = fleet.proxies[p];
  svg::line_chart chart;
  chart.title = fmt::format("{} — {} peak {} of capacity {}", proxy.id, to_string(ref.which),
                            peak_of(ref, p), proxy.capacity);
  chart.attributes = {{"class", "proxy-chart"}, {"data-proxy", proxy.id}};
  chart.width = chart_width;
  chart.height = 280;
  chart.x_min = static_cast<double>(axis.start);
  chart.x_max = static_cast<double>(axis.end);
  chart.x_ticks = time_ticks(axis);
  double top = std::max(proxy.capacity, proxy.threshold);
  for (const auto& s : result.strategies) {
    chart.series.push_back(load_steps(s, p, axis));
    for (const auto v : chart.series.back().ys) top = std::max(top, v);
  }
  chart.y_ticks = svg::round_ticks(top * 1.05, 6);
  chart.y_label = "devices active";
  chart.rules = {{static_cast<double>(proxy.threshold),
                  fmt::format("threshold {}", proxy.threshold), "#555555", true},
                 {static_cast<double>(proxy.capacity), fmt::format("capacity {}", proxy.capacity),
                  "#C62828", false}};
  return svg::render(chart);
}

std::string load_section(const domain::fleet& fleet, const simulation_result& result,
                         const report_options& options) {
  const auto* ref = reference(result);
  if (ref == nullptr) return "";
  const auto proxies = fullest_proxies(fleet, *ref, options.proxies);
  const auto axis = time_axis(result);
  std::string out = fmt::format(
      "<section id=\"load\">\n<h2>Load on the {} fullest proxies</h2>\n<p class=\"note\">The "
      "most distinct devices active at once on each proxy, per strategy, from {} to {}. "
      "The proxies are those whose {} peak is the largest share of their capacity.</p>\n",
      proxies.size(), escape(readable_utc(axis.start)), escape(readable_utc(axis.end)),
      escape(to_string(ref->which)));
  for (const auto p : proxies)
    out += "<figure>\n" + load_chart(fleet, result, *ref, p, axis) + "</figure>\n";
  return out + "</section>\n";
}

// ---- the displacement histogram ---------------------------------------------------------

struct bin {
  std::int64_t up_to_s;
  const char* label;
};
constexpr std::array<bin, 7> bins{{{0, "none"},
                                   {300, "≤ 5 min"},
                                   {1800, "≤ 30 min"},
                                   {7200, "≤ 2 h"},
                                   {21600, "≤ 6 h"},
                                   {86400, "≤ 1 d"},
                                   {INT64_MAX, "> 1 d"}}};

std::string displacement_section(const domain::fleet& fleet, const simulation_result& result) {
  svg::bar_chart chart;
  chart.title = "Displacement of succeeded deliveries: start − requested start";
  chart.attributes = {{"class", "displacement-chart"}};
  chart.width = chart_width;
  chart.height = 300;
  for (const auto& b : bins) chart.categories.emplace_back(b.label);
  double top = 0;
  for (const auto& s : result.strategies) {
    std::array<std::int64_t, bins.size()> counts{};
    std::int64_t total = 0;
    for (const auto& o : s.outcomes) {
      if (!o.succeeded || !o.start || o.job >= fleet.jobs.size()) continue;
      const auto d = *o.start - fleet.jobs[o.job].start;
      std::size_t i = 0;
      while (d > bins[i].up_to_s) ++i;
      ++counts[i];
      ++total;
    }
    svg::bar_series series{std::string(to_string(s.which)), colour(s.which), {}, {}};
    for (std::size_t i = 0; i < bins.size(); ++i) {
      const double share =
          total == 0 ? 0 : 100.0 * static_cast<double>(counts[i]) / static_cast<double>(total);
      top = std::max(top, share);
      series.values.push_back(share);
      series.tooltips.push_back(fmt::format("{}, {}: {} jobs ({:.1f}%)", series.name, bins[i].label,
                                            thousands(counts[i]), share));
    }
    chart.series.push_back(std::move(series));
  }
  chart.y_ticks = svg::round_ticks(std::max(top, 1.0), 5);
  for (auto& t : chart.y_ticks) t.label += "%";
  chart.y_label = "share of succeeded";
  return "<section id=\"displacement\">\n<h2>Displacement</h2>\n<p class=\"note\">How long after "
         "the start the fleet file asks for each succeeded delivery began (hover a bar for the "
         "count).</p>\n<figure>\n" +
         svg::render(chart) + "</figure>\n</section>\n";
}

// ---- the page ---------------------------------------------------------------------------

// Displacement's three columns (10 to 12) share one heading. Written as HTML: a soft hyphen
// lets the widest heading break so that the table fits the page.
constexpr std::size_t displacement_column = 10;
constexpr std::array<const char*, summary_headers.size()> html_headers{
    "Strategy",  "Jobs",
    "Succeeded", "Failed",
    "Late",      "Unschedul&shy;able",
    "Refusals",  "Service refusals",
    "Makespan",  "Lower bound",
    "mean",      "p95",
    "max",       "Worst peak ÷ capacity",
    "Wall time"};

std::string summary_section(const domain::fleet& fleet, const simulation_result& result) {
  std::string out =
      "<section>\n<h2>Strategies</h2>\n<div class=\"scroll\"><table id=\"summary\">\n<thead><tr>";
  for (std::size_t c = 0; c < html_headers.size(); ++c) {
    if (c == displacement_column)
      out += "<th colspan=\"3\" class=\"group\">Displacement</th>";
    else if (c < displacement_column || c > displacement_column + 2)
      out += fmt::format("<th rowspan=\"2\">{}</th>", html_headers[c]);
  }
  out += "</tr>\n<tr>";
  for (std::size_t c = displacement_column; c < displacement_column + 3; ++c)
    out += fmt::format("<th>{}</th>", html_headers[c]);
  out += "</tr></thead>\n<tbody>\n";
  const auto rows = summary_rows(fleet, result);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto which = result.strategies[r].which;
    out += fmt::format("<tr class=\"strategy\" data-strategy=\"{}\">", escape(to_string(which)));
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      if (c == 0)
        out += fmt::format("<td><span class=\"swatch\" style=\"background:{}\"></span>{}</td>",
                           colour(which), escape(rows[r][c]));
      else
        out += fmt::format("<td>{}</td>", escape(rows[r][c]));
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table></div>\n</section>\n";
}

std::string fleet_section(const simulation_result& result) {
  const auto& f = result.fleet;
  const auto& h = result.horizon;
  const std::array<std::pair<const char*, std::string>, 6> facts{{
      {"Devices", thousands(f.devices)},
      {"Proxies", thousands(f.proxies)},
      {"Counted jobs", thousands(f.jobs)},
      {"Ignored jobs", thousands(f.ignored_jobs)},
      {"Service occurrences", thousands(f.service_occurrences)},
      {"Horizon", fmt::format("{} – {}", readable_utc(h.start).substr(0, 16), readable_utc(h.end))},
  }};
  std::string out = "<section id=\"fleet\">\n<dl class=\"facts\">\n";
  for (const auto& [name, value] : facts)
    out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>\n", name, escape(value));
  return out + "</dl>\n</section>\n";
}

std::string share_text(const decimal_share& s) {
  return fmt::format("{:g}", static_cast<double>(s.numerator) /
                                 static_cast<double>(std::max<std::int64_t>(s.denominator, 1)));
}

std::string rules_section(const sim_config& c, const report_options& options) {
  const auto rate = c.rate ? fmt::format("{} per minute", *c.rate) : std::string("derived");
  std::string strategies;
  for (const auto s : c.strategies)
    strategies += (strategies.empty() ? "" : ", ") + std::string(to_string(s));
  std::string out = "<section id=\"rules\">\n<h2>The rules</h2>\n<ul>\n";
  const std::array<std::string, 4> model{{
      "A device talks through every proxy on its path. A proxy admits it if the device is "
      "already active there or fewer than <em>capacity</em> distinct devices are; a "
      "communication is admitted only if every proxy on the path admits it.",
      "At one instant, ends are handled before starts; services start before deliveries, "
      "deliveries in job id order.",
      fmt::format("A refused delivery is tried again after retry_after_s ({} s), at most "
                  "retries ({}) times; then it has failed.",
                  c.retry_after_s, c.retries),
      options.live_speed == 0
          ? std::string("Virtual time: the whole rollout is replayed, nothing waits for the clock.")
          : fmt::format("Live: real devices downloaded through real relays on the wall clock, {} "
                        "virtual seconds per real second; every time shown is a real one, and the "
                        "strategies, played one after the other, are drawn from a common start.",
                        options.live_speed),
  }};
  for (const auto& line : model) out += "<li>" + line + "</li>\n";
  out += "</ul>\n<h3>Strategies</h3>\n<ul>\n";
  // A reader of the page alone needs what each strategy does; docs/simulation.md is the
  // reference, and these lines must say the same.
  const std::array<std::pair<strategy, std::string>, 5> lines{{
      {strategy::as_scheduled, "each delivery first tried at the start its job asks for."},
      {strategy::rate_limit,
       fmt::format("first attempts released in start order, at most {}.",
                   c.rate ? fmt::format("{} per minute", *c.rate)
                          : std::string("a rate per minute derived from the fleet"))},
      {strategy::rollout_groups,
       fmt::format("the jobs in groups of {} of them, a group after the one before it.",
                   share_text(c.group_share))},
      {strategy::headroom_warn,
       "the schedule as the detector's warning suggests, adjusted once before the rollout."},
      {strategy::headroom_auto,
       fmt::format("the detector re-schedules as it sees the load, at most every {} s.",
                   c.replan_interval_s)},
  }};
  for (const auto& [s, text] : lines)
    out += fmt::format(
        "<li><span class=\"swatch\" style=\"background:{}\"></span><b>{}</b>: {}</li>\n", colour(s),
        to_string(s), text);
  out += "</ul>\n<h3>Knobs</h3>\n<table class=\"knobs\">\n";
  const std::array<std::pair<const char*, std::string>, 9> knobs{{
      {"strategies", strategies},
      {"retries", std::to_string(c.retries)},
      {"retry_after_s", std::to_string(c.retry_after_s)},
      {"rate", rate},
      {"group_share", share_text(c.group_share)},
      {"duration_noise", fmt::format("{:g}", c.duration_noise)},
      {"seed", std::to_string(c.seed)},
      {"replan_interval_s", std::to_string(c.replan_interval_s)},
      {"threads", c.threads == 0 ? std::string("one per core") : std::to_string(c.threads)},
  }};
  for (const auto& [name, value] : knobs)
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", name, escape(value));
  return out + "</table>\n</section>\n";
}

constexpr const char* style = R"(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
  background: #f6f7f9; margin: 0; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; background: #fff;
  box-shadow: 0 0 0 1px #e4e6ea; min-height: 100vh; box-sizing: border-box; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #e4e6ea; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.lede, .note { color: #555; margin: 4px 0 12px; }
.facts { display: grid; grid-template-columns: repeat(5, auto) 1fr; gap: 10px; margin: 16px 0 0; }
.facts div { background: #f6f7f9; border: 1px solid #e4e6ea; border-radius: 6px; padding: 8px 12px; }
.facts dt { color: #666; font-size: 12px; }
.facts dd { margin: 2px 0 0; font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
#summary { font-size: 12.5px; width: 100%; }
#summary th, #summary td { padding: 6px 5px; text-align: right; white-space: nowrap;
  border-bottom: 1px solid #eceef1; }
#summary th { font-weight: 600; color: #444; background: #f6f7f9; vertical-align: bottom;
  white-space: normal; }
#summary th.group { text-align: center; border-bottom: 1px solid #d5d8dd; }
#summary th:first-child, #summary td:first-child, #summary td:nth-child(14) { text-align: left; }
#summary tbody tr:hover { background: #fafbfc; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 7px; vertical-align: baseline; }
figure { margin: 12px 0; border: 1px solid #e4e6ea; border-radius: 6px; padding: 6px 4px 2px; }
svg { display: block; max-width: 100%; height: auto; }
#rules ul { padding-left: 20px; margin: 6px 0; }
#rules li { margin: 3px 0; }
.knobs th, .knobs td { padding: 3px 14px 3px 0; text-align: left; border-bottom: 1px solid #eceef1; }
.knobs th { font-weight: 500; font-family: ui-monospace, "SFMono-Regular", Menlo, monospace;
  font-size: 13px; color: #444; }
)";

}  // namespace

std::string render_html_report(const domain::fleet& fleet, const simulation_result& result,
                               const sim_config& config, const report_options& options) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>headroom sim — rollout report</title>\n<style>";
  out += style;
  out += "</style>\n</head>\n<body>\n<main>\n<h1>Rollout simulation</h1>\n";
  out += options.live_speed == 0
             ? "<p class=\"lede\">The fleet's firmware rollout replayed in virtual time, strategy "
               "by strategy: how many deliveries fail through overloaded proxies.</p>\n"
             : "<p class=\"lede\">The fleet's firmware rollout played live, strategy by strategy: "
               "real devices downloading through real relays, measured.</p>\n";
  out += fleet_section(result);
  out += summary_section(fleet, result);
  out += load_section(fleet, result, options);
  out += displacement_section(fleet, result);
  out += rules_section(config, options);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

domain::expected<std::string> write_html_report(const domain::fleet& fleet,
                                                const simulation_result& result,
                                                const sim_config& config,
                                                const report_options& options,
                                                const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return domain::error{dir, "cannot create the report directory: " + ec.message()};
  const auto path = (fs::path(dir) / "index.html").string();
  std::string page;
  try {
    page = render_html_report(fleet, result, config, options);
  } catch (const std::exception& e) {  // Out of memory on a huge fleet, say.
    return domain::error{path, std::string("cannot render the report: ") + e.what()};
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return domain::error{path, "cannot open for writing"};
  file.write(page.data(), static_cast<std::streamsize>(page.size()));
  file.close();
  if (!file) return domain::error{path, "cannot write the report"};
  return path;
}

}  // namespace headroom::sim
