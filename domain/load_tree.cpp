#include "domain/load_tree.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace headroom::domain {
namespace {
instant midpoint(instant lo, instant hi) { return lo + (hi - lo) / 2; }

/// The lowest and highest load of steps [first, last) by looking at each.
std::pair<std::int32_t, std::int32_t> scanned(const load_timeline& steps, std::size_t first,
                                              std::size_t last) {
  std::int32_t lowest = steps[first].load, highest = lowest;
  for (std::size_t i = first + 1; i < last; ++i) {
    lowest = std::min(lowest, steps[i].load);
    highest = std::max(highest, steps[i].load);
  }
  return {lowest, highest};
}
}  // namespace

load_tree::initial_steps::initial_steps(load_timeline steps) : steps_(std::move(steps)) {
  for (std::size_t first = 0; first < steps_.size(); first += block)
    blocks_.push_back(scanned(steps_, first, std::min(steps_.size(), first + block)));
}

std::pair<std::int32_t, std::int32_t> load_tree::initial_steps::bounds(std::size_t first,
                                                                       std::size_t last) const {
  const std::size_t first_whole = (first + block - 1) / block, last_whole = last / block;
  if (first_whole >= last_whole) return scanned(steps_, first, last);
  auto out = blocks_[first_whole];
  const auto fold = [&out](std::pair<std::int32_t, std::int32_t> b) {
    out = {std::min(out.first, b.first), std::max(out.second, b.second)};
  };
  for (std::size_t b = first_whole + 1; b < last_whole; ++b) fold(blocks_[b]);
  if (first < first_whole * block) fold(scanned(steps_, first, first_whole * block));
  if (last_whole * block < last) fold(scanned(steps_, last_whole * block, last));
  return out;
}

load_tree::load_tree(interval range, const load_timeline& initial) : range_(range) {
  if (range_.empty()) {
    nodes_.emplace_back();
    return;
  }
  // Only the steps that hold somewhere in the range are kept.
  std::size_t first = 0;
  while (first + 1 < initial.size() && initial[first + 1].at <= range_.start) ++first;
  const auto begin = initial.begin() + static_cast<std::ptrdiff_t>(std::min(first, initial.size()));
  const auto end = std::lower_bound(begin, initial.end(), range_.end,
                                    [](const load_step& s, instant t) { return s.at < t; });
  initial_ = std::make_shared<const initial_steps>(load_timeline(begin, end));
  make_node(range_.end, 0, initial_->steps().size());
}

std::uint32_t load_tree::make_node(instant hi, std::size_t first, std::size_t last) const {
  const auto& steps = initial_->steps();
  // One past the last step starting before hi.
  last = static_cast<std::size_t>(
      std::lower_bound(steps.begin() + static_cast<std::ptrdiff_t>(first),
                       steps.begin() + static_cast<std::ptrdiff_t>(last), hi,
                       [](const load_step& s, instant t) { return s.at < t; }) -
      steps.begin());
  node n;
  if (last <= first + 1) {
    n.max = n.min = first < steps.size() ? steps[first].load : 0;
  } else {
    std::tie(n.min, n.max) = initial_->bounds(first, last);
    n.right = static_cast<std::uint32_t>(unopened_.size() + 1);
    unopened_.push_back({static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(last)});
  }
  nodes_.push_back(n);
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

void load_tree::open(std::uint32_t n, instant lo, instant hi) const {
  const auto [first, last] = unopened_[nodes_[n].right - 1];
  const auto& steps = initial_->steps();
  const instant mid = midpoint(lo, hi);
  // The right child starts with the step that holds at mid: the last one starting at or
  // before it.
  const auto after_mid = std::upper_bound(steps.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                                          steps.begin() + static_cast<std::ptrdiff_t>(last), mid,
                                          [](instant t, const load_step& s) { return t < s.at; });
  const auto right_first = static_cast<std::size_t>(after_mid - steps.begin()) - 1;
  const auto left = make_node(mid, first, last);
  const auto right = make_node(hi, right_first, last);
  node& self = nodes_[n];
  self.left = left;
  self.right = right;
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
    node& self = nodes_[n];
    self.max += delta;
    self.min += delta;
    if (self.right != leaf) self.add += delta;  // children, or children to come
    return;
  }
  if (closed(nodes_[n]))
    open(n, lo, hi);
  else if (nodes_[n].left == leaf)
    split(n);
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
  for (;;) {
    if (closed(nodes_[n])) open(n, lo, hi);
    if (nodes_[n].left == leaf) break;
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
  if (span.start <= lo && hi <= span.end) return carried + nodes_[n].max;
  if (closed(nodes_[n])) open(n, lo, hi);
  // Copied: opening the nodes below may move them.
  const auto [max, min, add, left, right] = nodes_[n];
  if (left == leaf) return carried + max;
  const instant mid = midpoint(lo, hi);
  carried += add;
  std::int32_t best = std::numeric_limits<std::int32_t>::min();
  if (span.start < mid) best = max_over(left, lo, mid, span, carried);
  if (span.end > mid) best = std::max(best, max_over(right, mid, hi, span, carried));
  return best;
}

template <class Pred>
instant load_tree::first_where(std::uint32_t n, instant lo, instant hi, instant t,
                               std::int32_t carried, const Pred& subtree_may_hold) const {
  if (hi <= t || !subtree_may_hold(nodes_[n], carried)) return range_.end;
  if (closed(nodes_[n])) open(n, lo, hi);
  // Copied: opening the nodes below may move them.
  const std::uint32_t left = nodes_[n].left, right = nodes_[n].right;
  if (left == leaf) return std::max(lo, t);
  const instant mid = midpoint(lo, hi);
  carried += nodes_[n].add;
  const instant found = first_where(left, lo, mid, t, carried, subtree_may_hold);
  if (found != range_.end) return found;
  return first_where(right, mid, hi, t, carried, subtree_may_hold);
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
