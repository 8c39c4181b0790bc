#pragma once
// The schedule screen's numbers (claim 5): one proxy's predicted load against its threshold,
// computed by the domain functions from the fleet the store holds, before and after a
// proposed move; and the SVG chart that shows them, also drawn small beside each window of
// the warning screen.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "distribution/failure.hpp"
#include "domain/detection.hpp"
#include "domain/fleet.hpp"

namespace headroom::distribution {

/// A counted job on the proxy that intersects the range now or after the move.
struct chart_job {
  std::string id;
  std::string device;
  domain::instant start = 0;
  domain::instant preview_start = 0;  ///< Equal to start unless the job is being moved.
  std::int64_t duration_s = 0;
  bool moving = false;
};

struct proxy_view {
  std::string proxy;
  std::int32_t capacity = 0;
  std::int32_t threshold = 0;
  domain::interval range;
  domain::load_timeline current;
  domain::load_timeline preview;  ///< Equal to current without moves.
  std::vector<domain::overload_window> current_windows;
  std::vector<domain::overload_window> preview_windows;
  std::vector<chart_job> jobs;  ///< By current start.
  bool has_preview = false;
};

/// Predicts the proxy's load over `range` with the fleet's jobs, and again with the jobs in
/// `moves` (job id to new start) moved. An unknown proxy is a failure naming it. A move of a
/// job the fleet does not hold changes nothing: `f` may be the proxy's part of the fleet
/// (store::proxy_part_of), and the caller has checked that every moved job exists.
domain::expected<proxy_view, failure> build_proxy_view(
    const domain::fleet& f, const std::string& proxy, domain::interval range,
    const std::map<std::string, domain::instant>& moves);

/// A proxy and the range of its load to show.
struct view_request {
  std::string proxy;
  domain::interval range;
};

/// The fleet's predicted load as it is (no moves) for each request, by request: counted and
/// predicted once over all the ranges, however many (the warning screen draws one chart per
/// window). The views carry no jobs; a proxy the fleet does not know gets none.
std::vector<std::optional<proxy_view>> build_current_views(const domain::fleet& f,
                                                           const std::vector<view_request>& wanted);

/// The highest load of a timeline.
std::int32_t peak_of(const domain::load_timeline& t);

/// How a chart is drawn: by default the schedule screen's one (full width, grid, capacity,
/// jobs as bars, its parts named by id).
struct chart_style {
  std::string id = "load-chart";  ///< The SVG's id.
  /// The warning screen's: small and of fixed size, no grid, capacity or jobs, only the
  /// threshold and the peak labelled; parts named by class (many charts share the page).
  bool compact = false;
  std::optional<domain::interval> marked;  ///< A reported window, outlined.
};

/// An inline SVG: load steps (and the preview's), threshold, capacity, overload windows
/// shaded, and the jobs as bars below; times labelled in `zone`.
std::string render_load_chart(const proxy_view& v, const std::string& zone,
                              const chart_style& style = {});

}  // namespace headroom::distribution
