#pragma once
// The part of a fleet that loads some proxies, so that the adjuster can plan for those
// proxies without working on the whole fleet.

#include <span>
#include <vector>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"

namespace headroom::domain {

/// A fleet cut down around some proxies, with the way back to the original's indices.
struct sub_fleet {
  fleet part;
  /// How many proxies were chosen: they are part's first proxies, in the order given.
  index_t chosen = 0;
  std::vector<index_t> original_jobs;  ///< By job index in part.
};

/// Who loads each proxy and what each device has, so that a cut reads the neighbourhood
/// of its proxy, not the whole fleet. It stays true for a fleet whose devices, services
/// and jobs' devices are those it was built from; starts, durations and counts may change.
class neighbourhoods {
 public:
  explicit neighbourhoods(const fleet& f);

  /// These neighbourhoods for `f`, the fleet they were built from with jobs changed or
  /// appended: only the jobs' rows are made again.
  [[nodiscard]] neighbourhoods with_jobs_of(const fleet& f) const;

  /// The relayed devices with `proxy` on their path, ascending.
  [[nodiscard]] std::span<const index_t> devices_behind(index_t proxy) const;
  /// A device's jobs, ascending.
  [[nodiscard]] std::span<const index_t> jobs_of(index_t device) const;
  /// The services[] entries naming the device itself, ascending.
  [[nodiscard]] std::span<const index_t> services_of(index_t device) const;
  /// The services[] entries of a whole customer, ascending.
  [[nodiscard]] const std::vector<index_t>& customer_services() const { return customer_services_; }

 private:
  /// Rows of indices, one per owner, in one array.
  struct rows {
    std::vector<std::uint32_t> begin;
    std::vector<index_t> items;
    [[nodiscard]] std::span<const index_t> row(index_t owner) const;
  };
  template <class Each>
  static rows build(std::size_t owners, Each&& each);
  static rows jobs_by_device(const fleet& f);

  rows devices_behind_;
  rows jobs_;
  rows services_;
  std::vector<index_t> customer_services_;
};

/// The chosen proxies (distinct), every proxy on the paths of the devices behind them,
/// every relayed device behind any of those (paths cut to them, so each of their loads is
/// exact), those devices' counted jobs, their customers, and the services that concern
/// them. Packages are kept whole. Reads only the neighbourhood, through `n` (built from `f`).
sub_fleet cut_around(const fleet& f, const counting& c, std::span<const index_t> chosen,
                     const neighbourhoods& n);

/// The chosen proxies in groups whose cuts share no proxy, each group ascending, the groups
/// by their first proxy. No job behind one group loads a proxy another group's jobs load, so
/// each group can be planned on its own cut: placing a group's jobs never changes the
/// room another group's jobs see.
std::vector<std::vector<index_t>> independent_groups(const fleet& f,
                                                     std::span<const index_t> chosen,
                                                     const neighbourhoods& n);

}  // namespace headroom::domain
