#pragma once
// The Prometheus text exposition format (version 0.0.4) that every role's /metrics
// answers in: families with # HELP and # TYPE, samples with labels, histograms.

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace headroom::common {

/// One label of a sample; the value is escaped when written.
struct label {
  std::string_view name;
  std::string_view value;
};

class prometheus_text {
 public:
  /// Starts a family: its # HELP and # TYPE lines (TYPE: counter, gauge, summary, histogram).
  void family(std::string_view name, std::string_view type, std::string_view help);

  /// `NAME{LABELS} VALUE`, or `NAME VALUE` without labels. Integers are written whole,
  /// floating-point values as a C++ stream writes them (6 significant digits).
  template <class T>
  requires std::is_arithmetic_v<T>
  void sample(std::string_view name, std::initializer_list<label> labels, T value) {
    begin_sample(name, std::span<const label>(labels.begin(), labels.size()));
    if constexpr (std::is_floating_point_v<T>)
      write(static_cast<double>(value));
    else if constexpr (std::is_signed_v<T>)
      write(static_cast<std::int64_t>(value));
    else
      write(static_cast<std::uint64_t>(value));
  }
  template <class T>
  requires std::is_arithmetic_v<T>
  void sample(std::string_view name, T value) { sample(name, {}, value); }

  /// The samples of a histogram family NAME: `NAME_bucket` per upper bound in BOUNDS with
  /// its cumulative count from CUMULATIVE (0 where it has none), the `+Inf` bucket, then
  /// `NAME_sum` and `NAME_count`.
  void histogram(std::string_view name, std::initializer_list<label> labels,
                 std::span<const double> bounds, std::span<const std::uint64_t> cumulative,
                 std::uint64_t count, double sum);

  /// The text written so far.
  [[nodiscard]] const std::string& text() const { return out_; }

 private:
  void begin_sample(std::string_view name, std::span<const label> labels,
                    const label* extra = nullptr);
  void write(std::int64_t value);
  void write(std::uint64_t value);
  void write(double value);

  std::string out_;
};

}  // namespace headroom::common
