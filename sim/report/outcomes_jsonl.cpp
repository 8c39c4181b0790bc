#include "sim/report/outcomes_jsonl.hpp"

#include <array>
#include <charconv>

namespace headroom::sim {
namespace {

/// format_utc costs a snprintf and an allocation per call; three per line would make the
/// million-job file several times slower to write. Outcomes of one day share the date, so
/// the date part is formatted once per day (with format_utc, so the spelling is the same).
class utc_formatter {
 public:
  void append(std::string& out, domain::instant t) {
    std::int64_t day = t / domain::seconds_per_day;
    std::int64_t rest = t % domain::seconds_per_day;
    if (rest < 0) {
      rest += domain::seconds_per_day;
      --day;
    }
    if (day != day_ || date_.empty()) {
      day_ = day;
      const auto full = domain::format_utc(day * domain::seconds_per_day);
      date_ = full.substr(0, full.find('T') + 1);
    }
    out += '"';
    out += date_;
    const auto two = [&](std::int64_t v) {
      out += static_cast<char>('0' + v / 10);
      out += static_cast<char>('0' + v % 10);
    };
    two(rest / 3600);
    out += ':';
    two(rest / 60 % 60);
    out += ':';
    two(rest % 60);
    out += "Z\"";
  }

 private:
  std::int64_t day_ = 0;
  std::string date_;
};

void append_number(std::string& out, std::int64_t v) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), v).ptr;
  out.append(digits.data(), end);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

void write_outcomes(const domain::fleet& fleet, const simulation_result& result,
                    std::ostream& out) {
  constexpr std::size_t flush_at = 1 << 16;
  std::string buffer;
  buffer.reserve(flush_at + 512);
  utc_formatter utc;
  for (const auto& s : result.strategies) {
    std::string head = "{\"strategy\":";
    append_json_string(head, to_string(s.which));
    head += ",\"job\":";
    for (const auto& o : s.outcomes) {
      buffer += head;
      append_json_string(buffer, o.job < fleet.jobs.size() ? fleet.jobs[o.job].id : "");
      buffer += ",\"planned\":";
      utc.append(buffer, o.planned);
      buffer += ",\"attempts\":";
      append_number(buffer, o.attempts);
      buffer += ",\"start\":";
      if (o.start)
        utc.append(buffer, *o.start);
      else
        buffer += "null";
      buffer += ",\"end\":";
      if (o.end)
        utc.append(buffer, *o.end);
      else
        buffer += "null";
      buffer += o.succeeded ? ",\"outcome\":\"succeeded\"}\n" : ",\"outcome\":\"failed\"}\n";
      if (buffer.size() >= flush_at) {
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        buffer.clear();
      }
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace headroom::sim
