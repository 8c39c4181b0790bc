#include "domain/load_tree.hpp"

#include <algorithm>
#include <limits>

namespace headroom::domain {
namespace {
instant midpoint(instant lo, instant hi) { return lo + (hi - lo) / 2; }
}  // namespace

load_tree::load_tree(interval range, const load_timeline& initial) : range_(range) {
  nodes_.reserve(64 + 4 * initial.size());
  if (range_.empty()) {
    nodes_.emplace_back();
    return;
  }
  // Steps [first, last) are the ones that hold somewhere in a node's range; build
  // places every node before its children, so the root is node 0.
  std::size_t first = 0;
  while (first + 1 < initial.size() && initial[first + 1].at <= range_.start) ++first;
  build(range_.start, range_.end, initial, first, initial.size());
}

std::uint32_t load_tree::build(instant lo, instant hi, const load_timeline& steps,
                               std::size_t first, std::size_t last) {
  // `last` is one past the last step starting before hi.
  while (last > first && steps[last - 1].at >= hi) --last;
  const auto self = static_cast<std::uint32_t>(nodes_.size());
  nodes_.emplace_back();
  if (last <= first + 1) {
    const std::int32_t value = first < steps.size() ? steps[first].load : 0;
    nodes_[self].max = nodes_[self].min = value;
    return self;
  }
  const instant mid = midpoint(lo, hi);
  std::size_t right_first = first;
  while (right_first + 1 < last && steps[right_first + 1].at <= mid) ++right_first;
  const auto left = build(lo, mid, steps, first, last);
  const auto right = build(mid, hi, steps, right_first, last);
  node& n = nodes_[self];
  n.left = left;
  n.right = right;
  n.max = std::max(nodes_[left].max, nodes_[right].max);
  n.min = std::min(nodes_[left].min, nodes_[right].min);
  return self;
}

void load_tree::split(std::uint32_t n) {
  node child;
  child.max = nodes_[n].max;
  child.min = nodes_[n].min;
  const auto left = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back(child);
  nodes_.push_back(child);
  nodes_[n].left = left;
  nodes_[n].right = left + 1;
  nodes_[n].add = 0;
}

void load_tree::add(interval span, std::int32_t delta) {
  span.start = std::max(span.start, range_.start);
  span.end = std::min(span.end, range_.end);
  if (span.empty() || delta == 0) return;
  add(0, range_.start, range_.end, span, delta);
}

void load_tree::add(std::uint32_t n, instant lo, instant hi, interval span, std::int32_t delta) {
  if (span.start <= lo && hi <= span.end) {
    nodes_[n].max += delta;
    nodes_[n].min += delta;
    if (nodes_[n].left != leaf) nodes_[n].add += delta;
    return;
  }
  if (nodes_[n].left == leaf) split(n);
  const instant mid = midpoint(lo, hi);
  const auto left = nodes_[n].left, right = nodes_[n].right;
  if (span.start < mid) add(left, lo, mid, span, delta);
  if (span.end > mid) add(right, mid, hi, span, delta);
  node& self = nodes_[n];
  self.max = self.add + std::max(nodes_[left].max, nodes_[right].max);
  self.min = self.add + std::min(nodes_[left].min, nodes_[right].min);
}

std::int32_t load_tree::at(instant t) const {
  std::uint32_t n = 0;
  instant lo = range_.start, hi = range_.end;
  std::int32_t carried = 0;
  while (nodes_[n].left != leaf) {
    carried += nodes_[n].add;
    const instant mid = midpoint(lo, hi);
    if (t < mid) {
      n = nodes_[n].left;
      hi = mid;
    } else {
      n = nodes_[n].right;
      lo = mid;
    }
  }
  return carried + nodes_[n].max;
}

std::int32_t load_tree::max_over(interval span) const {
  span.start = std::max(span.start, range_.start);
  span.end = std::min(span.end, range_.end);
  if (span.empty()) return 0;
  return max_over(0, range_.start, range_.end, span, 0);
}

std::int32_t load_tree::max_over(std::uint32_t n, instant lo, instant hi, interval span,
                                 std::int32_t carried) const {
  const node& self = nodes_[n];
  if ((span.start <= lo && hi <= span.end) || self.left == leaf) return carried + self.max;
  const instant mid = midpoint(lo, hi);
  carried += self.add;
  std::int32_t best = std::numeric_limits<std::int32_t>::min();
  if (span.start < mid) best = max_over(self.left, lo, mid, span, carried);
  if (span.end > mid) best = std::max(best, max_over(self.right, mid, hi, span, carried));
  return best;
}

template <class Pred>
instant load_tree::first_where(std::uint32_t n, instant lo, instant hi, instant t,
                               std::int32_t carried, const Pred& subtree_may_hold) const {
  const node& self = nodes_[n];
  if (hi <= t || !subtree_may_hold(self, carried)) return range_.end;
  if (self.left == leaf) return std::max(lo, t);
  const instant mid = midpoint(lo, hi);
  carried += self.add;
  const instant found = first_where(self.left, lo, mid, t, carried, subtree_may_hold);
  if (found != range_.end) return found;
  return first_where(self.right, mid, hi, t, carried, subtree_may_hold);
}

instant load_tree::first_above(instant t, std::int32_t level) const {
  if (t >= range_.end) return range_.end;
  return first_where(
      0, range_.start, range_.end, std::max(t, range_.start), 0,
      [level](const node& n, std::int32_t carried) { return carried + n.max > level; });
}

instant load_tree::first_at_most(instant t, std::int32_t level) const {
  if (t >= range_.end) return range_.end;
  return first_where(
      0, range_.start, range_.end, std::max(t, range_.start), 0,
      [level](const node& n, std::int32_t carried) { return carried + n.min <= level; });
}

}  // namespace headroom::domain
