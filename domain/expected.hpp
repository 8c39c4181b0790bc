#pragma once

#include <string>
#include <utility>
#include <variant>

namespace headroom::domain {

/// An expected failure: where it happened (a JSON path such as `jobs[41].start`,
/// or empty) and what was wrong.
struct error {
  std::string where;
  std::string what;

  /// `where: what`, or just `what` when there is no place to name.
  [[nodiscard]] std::string message() const { return where.empty() ? what : where + ": " + what; }
};

/// A value or the error that prevented it. The domain library depends on the
/// standard library only, so it carries this small stand-in for std::expected.
/// `E` lets other layers carry a richer error (messages::wire_error).
template <class T, class E = error>
class expected {
 public:
  expected(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  expected(E failure) : state_(std::move(failure)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& operator*() { return std::get<0>(state_); }
  const T& operator*() const { return std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }

  [[nodiscard]] const E& failure() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

/// Prefixes the place of an error with an outer JSON path (`jobs[3]` + `.start`).
inline error nest(std::string outer, error inner) {
  if (inner.where.empty())
    inner.where = std::move(outer);
  else if (inner.where.front() == '[' || inner.where.front() == '.')
    inner.where = std::move(outer) + inner.where;
  else
    inner.where = std::move(outer) + "." + inner.where;
  return inner;
}

}  // namespace headroom::domain
