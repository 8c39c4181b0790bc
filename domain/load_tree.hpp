#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "domain/load_profile.hpp"
#include "domain/time.hpp"

namespace headroom::domain {

/// One proxy's load over a time range, to the second, with range updates and the
/// queries the adjuster asks: "where is the load next above / at most this level".
/// An implicit segment tree over seconds: a node without children holds one value
/// for its whole range, so memory grows with the steps of the load, not the seconds.
/// Every operation is O(log range), plus the steps of the nodes it opens.
///
/// A node over several steps of the initial timeline is opened (given its children) only
/// when an operation first has to look inside it: a proxy's week holds thousands of
/// steps (its services' periodic traffic) and about ten nodes per step, while the
/// searches for a few hundred jobs visit a small part of them. Queries open nodes too, so
/// a tree, though its answers never change with them, is not to be read by two threads.
/// A copy shares the initial timeline with its original (the adjuster places each order
/// into its own copy of the same trees), and goes on opening its own nodes.
class load_tree {
 public:
  /// Starts from a timeline whose first step is at or before the range's start
  /// (or from zero load with an empty timeline).
  load_tree(interval range, const load_timeline& initial);

  /// Adds `delta` devices over `span` (clipped to the range).
  void add(interval span, std::int32_t delta);

  /// The load at instant t (inside the range).
  [[nodiscard]] std::int32_t at(instant t) const;

  /// The highest load over `span` (clipped); zero for an empty span.
  [[nodiscard]] std::int32_t max_over(interval span) const;

  /// The first instant >= t whose load is above `level`, or the range's end.
  [[nodiscard]] instant first_above(instant t, std::int32_t level) const;

  /// The first instant >= t whose load is at most `level`, or the range's end.
  [[nodiscard]] instant first_at_most(instant t, std::int32_t level) const;

  [[nodiscard]] interval range() const { return range_; }
  [[nodiscard]] std::size_t node_count() const { return nodes_.size(); }

 private:
  static constexpr std::uint32_t leaf = 0;  // node 0 is the root, never a child

  struct node {
    std::int32_t max = 0;  // over the subtree, including `add`
    std::int32_t min = 0;
    std::int32_t add = 0;  // pending for the children (a leaf folds it into max/min)
    std::uint32_t left = leaf;
    // Without a left child, a node is a leaf (right is `leaf`) or not opened yet (right
    // is 1 + its entry in `unopened_`): kept in the node's 20 bytes, not beside them.
    std::uint32_t right = leaf;
  };

  /// Steps [first, last) of the initial timeline under a node not opened yet.
  struct step_range {
    std::uint32_t first;
    std::uint32_t last;
  };

  /// The initial timeline, with the lowest and highest load of each block of its steps:
  /// a node over many steps takes its bounds from the blocks instead of every step.
  class initial_steps {
   public:
    explicit initial_steps(load_timeline steps);
    [[nodiscard]] const load_timeline& steps() const { return steps_; }
    /// The lowest and highest load of the steps [first, last), last > first.
    [[nodiscard]] std::pair<std::int32_t, std::int32_t> bounds(std::size_t first,
                                                               std::size_t last) const;

   private:
    static constexpr std::size_t block = 32;
    load_timeline steps_;
    std::vector<std::pair<std::int32_t, std::int32_t>> blocks_;  // (lowest, highest)
  };

  [[nodiscard]] static bool closed(const node& n) { return n.left == leaf && n.right != leaf; }
  /// A node over [.., hi) from the steps [first, last) that may hold in it.
  std::uint32_t make_node(instant hi, std::size_t first, std::size_t last) const;
  /// Gives a closed node its children, from its steps.
  void open(std::uint32_t n, instant lo, instant hi) const;
  void add(std::uint32_t n, instant lo, instant hi, interval span, std::int32_t delta);
  void split(std::uint32_t n);
  [[nodiscard]] std::int32_t max_over(std::uint32_t n, instant lo, instant hi, interval span,
                                      std::int32_t carried) const;
  template <class Pred>
  [[nodiscard]] instant first_where(std::uint32_t n, instant lo, instant hi, instant t,
                                    std::int32_t carried, const Pred& subtree_may_hold) const;

  interval range_;
  std::shared_ptr<const initial_steps> initial_;  // read by nodes as they open
  // Opened by queries too: their answers do not change.
  mutable std::vector<node> nodes_;
  mutable std::vector<step_range> unopened_;
};

}  // namespace headroom::domain
