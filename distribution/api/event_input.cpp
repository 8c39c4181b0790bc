#include "distribution/api/event_input.hpp"

#include "distribution/http/json_body.hpp"

namespace headroom::distribution {
namespace {

using nlohmann::json;

std::vector<job_move> read_moves(const body_fields& f) {
  std::vector<job_move> moves;
  const auto& items = f.array("moves");
  if (items.empty()) reject(f.at("moves"), "must not be empty");
  for (std::size_t i = 0; i < items.size(); ++i) {
    body_fields m(items[i], item_path(f.at("moves"), i), {"job", "from", "to", "version"});
    job_move move;
    move.job = m.string("job");
    move.from = m.time("from");
    move.to = m.time("to");
    move.version = m.integer("version", 1, INT64_MAX);
    moves.push_back(std::move(move));
  }
  return moves;
}

}  // namespace

domain::expected<notification_input, failure> read_notification(const json& doc) {
  return read_body<notification_input>([&] {
    body_fields f(doc, "", {"detector", "proxy", "sent_at", "windows", "suggested_adjustment"});
    notification_input n;
    n.detector = f.string("detector");
    n.proxy = f.string("proxy");
    // Checked here and kept as sent in the stored document.
    if (f.has("sent_at")) static_cast<void>(f.time("sent_at"));
    const auto& windows = f.array("windows");
    for (std::size_t i = 0; i < windows.size(); ++i) {
      body_fields w(windows[i], item_path("windows", i),
                    {"start", "end", "peak", "threshold", "jobs"});
      const auto start = w.time("start");
      if (w.time("end") <= start) reject(w.at("end"), "must be after start");
      const auto threshold = w.integer("threshold", 0, 1'000'000);
      static_cast<void>(w.integer("peak", threshold + 1, 1'000'000'000));
      const auto& jobs = w.array("jobs");
      for (std::size_t j = 0; j < jobs.size(); ++j)
        if (!jobs[j].is_string() || jobs[j].get<std::string>().empty())
          reject(item_path(w.at("jobs"), j), "expected a job id");
    }
    if (f.has("suggested_adjustment")) {
      body_fields s(f.required("suggested_adjustment"), "suggested_adjustment", {"moves"});
      read_moves(s);
    }
    n.body = doc.dump();
    return n;
  });
}

std::vector<reported_window> windows_of(const json& doc) {
  std::vector<reported_window> out;
  for (const auto& w : doc.at("windows")) {
    reported_window r;
    r.start = *domain::parse_rfc3339(w.at("start").get<std::string>());
    r.end = *domain::parse_rfc3339(w.at("end").get<std::string>());
    r.peak = w.at("peak").get<std::int32_t>();
    r.threshold = w.at("threshold").get<std::int32_t>();
    r.jobs = w.at("jobs").get<std::vector<std::string>>();
    out.push_back(std::move(r));
  }
  return out;
}

domain::expected<adjustment_input, failure> read_adjustment(const json& doc) {
  return read_body<adjustment_input>([&] {
    body_fields f(doc, "", {"source", "moves"});
    adjustment_input a;
    if (auto source = f.optional_string("source")) a.source = *source;
    a.moves = read_moves(f);
    return a;
  });
}

}  // namespace headroom::distribution
