// What detectors send (notifications, claim 4; adjustments, claim 7), the answer to an
// adjustment, and problem documents.
#include <nlohmann/json.hpp>

#include "distribution_api/field_reader.hpp"
#include "distribution_api/json.hpp"
#include "distribution_api/json_text.hpp"

namespace headroom::distribution_api {
namespace {

using nlohmann::json;

/// Appends `moves` as their array: the moves of an adjustment and of a notification's
/// suggested adjustment, keys in nlohmann's order.
void append_moves(std::string& out, const std::vector<move_record>& moves) {
  out += '[';
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const auto& m = moves[i];
    out += i ? R"(,{"from":)" : R"({"from":)";
    append_string(out, domain::format_utc(m.from));
    out += R"(,"job":)";
    append_string(out, m.job);
    out += R"(,"to":)";
    append_string(out, domain::format_utc(m.to));
    out += R"(,"version":)" + std::to_string(m.version) + "}";
  }
  out += ']';
}

/// `moves` of an adjustment, or of a notification's suggested adjustment: not empty.
std::vector<move_record> read_moves(const field_reader& f) {
  std::vector<move_record> moves;
  const auto& items = f.array("moves");
  if (items.empty()) reject(f.at("moves"), "must not be empty");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto m =
        f.object(items[i], item_path(f.at("moves"), i), {"job", "from", "to", "version"});
    move_record move;
    move.job = m.string("job");
    move.from = m.time("from");
    move.to = m.time("to");
    move.version = m.integer("version", 1, std::numeric_limits<std::int64_t>::max());
    moves.push_back(std::move(move));
  }
  return moves;
}

window_record read_window(const field_reader& w) {
  window_record r;
  r.start = w.time("start");
  r.end = w.time("end");
  if (r.end <= r.start) reject(w.at("end"), "must be after start");
  r.threshold = static_cast<std::int32_t>(w.integer("threshold", 0, 1'000'000));
  r.peak = static_cast<std::int32_t>(w.integer("peak", r.threshold + 1, 1'000'000'000));
  r.jobs = w.strings("jobs", "a job id");
  return r;
}

json problem_json(const problem_record& p) {
  json out{{"type", p.type}, {"title", p.title}, {"status", p.status}, {"detail", p.detail}};
  if (!p.path.empty()) out["path"] = p.path;
  return out;
}

/// A refused move's problem: its job is gone (404) or changed meanwhile (409).
problem_record refusal(const move_result& r) {
  if (r.status == 404) return {"/problems/not-found", "Not found", r.status, r.detail, ""};
  return {"/problems/conflict", "Conflict", r.status, r.detail, ""};
}

json result_json(const move_result& r) {
  if (!r.applied)
    return {{"job", r.job}, {"result", "refused"}, {"problem", problem_json(refusal(r))}};
  return {{"job", r.job},
          {"result", "applied"},
          {"from", domain::format_utc(r.from)},
          {"to", domain::format_utc(r.to)},
          {"version", r.version}};
}

move_result read_move_result(const field_reader& r) {
  move_result m;
  m.job = r.string("job");
  const auto result = r.string("result");
  if (result == "applied") {
    m.applied = true;
    m.status = 200;
    // Our server says where the job went; an answer without it is still an answer.
    if (r.has("from")) m.from = r.time("from");
    if (r.has("to")) m.to = r.time("to");
    if (r.has("version")) m.version = r.integer("version", 0);
    return m;
  }
  if (result != "refused") reject(r.at("result"), "must be 'applied' or 'refused'");
  const auto problem = r.object(r.required("problem"), r.at("problem"));
  m.status = static_cast<std::int32_t>(
      problem.integer("status", 100, std::numeric_limits<std::int32_t>::max()));
  if (m.status > 599) reject(problem.at("status"), "must be an HTTP status");
  m.detail =
      problem.optional_string("detail").value_or(problem.optional_string("title").value_or(""));
  return m;
}

}  // namespace

std::string write_notification(const notification_record& n) {
  // Written directly, keys in nlohmann's order, as write_job: a detector writes each of
  // its notifications twice (the body and the news it compares), a first detection
  // hundreds, and building a DOM for each was half of the notifier's time.
  // tests/distribution_api/json_test.cpp holds it to the DOM's.
  std::string out;
  out.reserve(256);
  out += R"({"detector":)";
  append_string(out, n.detector);
  out += R"(,"proxy":)";
  append_string(out, n.proxy);
  out += R"(,"sent_at":)";
  append_string(out, domain::format_utc(n.sent_at));
  if (!n.suggested_moves.empty()) {
    out += R"(,"suggested_adjustment":{"moves":)";
    append_moves(out, n.suggested_moves);
    out += '}';
  }
  out += R"(,"windows":[)";
  for (std::size_t i = 0; i < n.windows.size(); ++i) {
    const auto& w = n.windows[i];
    out += i ? R"(,{"end":)" : R"({"end":)";
    append_string(out, domain::format_utc(w.end));
    out += R"(,"jobs":)";
    append_strings(out, w.jobs);
    out += R"(,"peak":)" + std::to_string(w.peak) + R"(,"start":)";
    append_string(out, domain::format_utc(w.start));
    out += R"(,"threshold":)" + std::to_string(w.threshold) + "}";
  }
  return out += "]}";
}

namespace {

notification_record notification_of(const json& doc) {
  field_reader f(doc, "", strictness::strict,
                 {"detector", "proxy", "sent_at", "windows", "suggested_adjustment"});
  notification_record n;
  n.detector = f.string("detector");
  n.proxy = f.string("proxy");
  if (f.has("sent_at")) n.sent_at = f.time("sent_at");
  const auto& windows = f.array("windows");
  for (std::size_t i = 0; i < windows.size(); ++i)
    n.windows.push_back(read_window(f.object(windows[i], item_path("windows", i),
                                             {"start", "end", "peak", "threshold", "jobs"})));
  if (f.has("suggested_adjustment"))
    n.suggested_moves =
        read_moves(f.object(f.required("suggested_adjustment"), "suggested_adjustment", {"moves"}));
  return n;
}

adjustment_record adjustment_of(const json& doc) {
  field_reader f(doc, "", strictness::strict, {"source", "moves"});
  adjustment_record a;
  a.source = f.optional_string("source").value_or("");
  a.moves = read_moves(f);
  return a;
}

/// One parse for both: the text written again from it, and the record read from it.
template <class T, class F>
domain::expected<canonical_record<T>> read_canonical(std::string_view body, F&& read) {
  auto doc = parse_document(body);
  if (!doc) return doc.failure();
  return canonical_record<T>{doc->dump(), read_parsed<T>(*doc, strictness::strict, read)};
}

}  // namespace

domain::expected<notification_record> read_notification(std::string_view body) {
  return read_document<notification_record>(body, strictness::strict, notification_of);
}

domain::expected<canonical_record<notification_record>> read_canonical_notification(
    std::string_view body) {
  return read_canonical<notification_record>(body, notification_of);
}

std::string write_adjustment(const adjustment_record& a) {
  std::string out = R"({"moves":)";
  append_moves(out, a.moves);
  out += R"(,"source":)";
  append_string(out, a.source);
  return out += '}';
}

domain::expected<adjustment_record> read_adjustment(std::string_view body) {
  return read_document<adjustment_record>(body, strictness::strict, adjustment_of);
}

domain::expected<canonical_record<adjustment_record>> read_canonical_adjustment(
    std::string_view body) {
  return read_canonical<adjustment_record>(body, adjustment_of);
}

std::string write_adjustment_answer(std::int64_t id, domain::instant received_at,
                                    const adjustment_outcome& outcome) {
  json results = json::array();
  for (const auto& r : outcome.results) results.push_back(result_json(r));
  const auto applied = outcome.applied();
  return json{{"id", id},
              {"received_at", domain::format_utc(received_at)},
              {"applied", applied},
              {"refused", outcome.results.size() - applied},
              {"results", std::move(results)}}
      .dump();
}

domain::expected<adjustment_outcome> read_adjustment_answer(std::string_view body) {
  return read_document<adjustment_outcome>(body, strictness::lenient, [](const json& doc) {
    field_reader root(doc, "", strictness::lenient);
    adjustment_outcome out;
    const auto& results = root.array("results");
    for (std::size_t i = 0; i < results.size(); ++i)
      out.results.push_back(read_move_result(root.object(results[i], item_path("results", i))));
    return out;
  });
}

domain::expected<std::string> canonical_json(std::string_view body) {
  auto doc = parse_document(body);
  if (!doc) return doc.failure();
  return doc->dump();
}

std::string write_problem(const problem_record& p) { return problem_json(p).dump(); }

std::optional<problem_record> read_problem(std::string_view body) {
  auto read = read_document<problem_record>(body, strictness::lenient, [](const json& doc) {
    field_reader r(doc, "", strictness::lenient);
    problem_record p;
    p.status =
        static_cast<std::int32_t>(r.integer("status", 0, std::numeric_limits<std::int32_t>::max()));
    p.type = r.optional_string("type").value_or("");
    p.title = r.optional_string("title").value_or("");
    p.detail = r.optional_string("detail").value_or("");
    p.path = r.optional_string("path").value_or("");
    return p;
  });
  if (!read) return std::nullopt;
  return *read;
}

}  // namespace headroom::distribution_api
