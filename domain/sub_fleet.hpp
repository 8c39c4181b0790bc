#pragma once
// The part of a fleet that loads one proxy, so that the adjuster can plan for that
// proxy without working on the whole fleet.

#include <vector>

#include "domain/counting.hpp"
#include "domain/fleet.hpp"

namespace headroom::domain {

/// A fleet cut down around one proxy, with the way back to the original's indices.
struct sub_fleet {
  fleet part;
  index_t proxy = 0;                   ///< The chosen proxy, in part.
  std::vector<index_t> original_jobs;  ///< By job index in part.
};

/// The proxy, every proxy on the paths of the devices behind it, every relayed device
/// behind any of those (paths cut to them, so each of their loads is exact), those
/// devices' counted jobs and the services that concern them. Customers and packages
/// are kept whole.
sub_fleet cut_around(const fleet& f, const counting& c, index_t proxy);

}  // namespace headroom::domain
