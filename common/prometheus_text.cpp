#include "common/prometheus_text.hpp"

#include <sstream>

namespace headroom::common {
namespace {

// Backslash, double quote and line feed are the characters the format escapes (HELP
// texts escape the first and the last only).
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
}

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

}  // namespace

void prometheus_text::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_escaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void prometheus_text::histogram(std::string_view name, std::initializer_list<label> labels,
                                std::span<const double> bounds,
                                std::span<const std::uint64_t> cumulative, std::uint64_t count,
                                double sum) {
  const std::span<const label> common(labels.begin(), labels.size());
  const std::string base(name);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    const auto le = number(bounds[i]);
    const label bound{"le", le};
    begin_sample(base + "_bucket", common, &bound);
    write(i < cumulative.size() ? cumulative[i] : std::uint64_t{0});
  }
  const label infinity{"le", "+Inf"};
  begin_sample(base + "_bucket", common, &infinity);
  write(count);
  begin_sample(base + "_sum", common);
  write(sum);
  begin_sample(base + "_count", common);
  write(count);
}

void prometheus_text::begin_sample(std::string_view name, std::span<const label> labels,
                                   const label* extra) {
  out_ += name;
  if (!labels.empty() || extra) {
    out_ += '{';
    bool first = true;
    const auto add = [&](const label& l) {
      if (!first) out_ += ',';
      first = false;
      out_ += l.name;
      out_ += "=\"";
      append_escaped(out_, l.value, true);
      out_ += '"';
    };
    for (const auto& l : labels) add(l);
    if (extra) add(*extra);
    out_ += '}';
  }
  out_ += ' ';
}

void prometheus_text::write(std::int64_t value) {
  out_ += std::to_string(value);
  out_ += '\n';
}

void prometheus_text::write(std::uint64_t value) {
  out_ += std::to_string(value);
  out_ += '\n';
}

void prometheus_text::write(double value) {
  out_ += number(value);
  out_ += '\n';
}

}  // namespace headroom::common
