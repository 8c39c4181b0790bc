// The detector's records survive CAF's serialization, optional fields included (CAF 0.17
// inspects caf::optional only; messages/detector_caf_types.hpp adapts std::optional).
#define BOOST_TEST_MODULE detector types
#include <boost/test/unit_test.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <vector>

#include "actors/detector_interfaces.hpp"

using namespace headroom::messages;

namespace {

template <class T>
T round_trip(T x) {
  std::vector<char> buffer;
  caf::binary_serializer sink{nullptr, buffer};
  BOOST_REQUIRE(!sink(x));
  T back;
  caf::binary_deserializer source{nullptr, buffer};
  BOOST_REQUIRE(!source(back));
  return back;
}

}  // namespace

BOOST_AUTO_TEST_CASE(jobs_keep_their_deadline_or_its_absence) {
  job_record with{"j1", "d1", "fw-1", 100, 600, 5000, 2, job_status::running, 7, 50};
  BOOST_TEST((round_trip(with) == with));
  job_record without = with;
  without.deadline.reset();
  BOOST_TEST((round_trip(without) == without));
  BOOST_TEST(!round_trip(without).deadline);
}

BOOST_AUTO_TEST_CASE(services_keep_their_device_or_customer) {
  service_record per_device{"d4", std::nullopt, "status_monitoring", 1800, 7200, 30};
  service_record per_customer{std::nullopt, "globex", "counter_collection", 0, 3600, 60};
  BOOST_TEST((round_trip(per_device) == per_device));
  BOOST_TEST((round_trip(per_customer) == per_customer));
  inventory inv{{}, {}, {}, {per_device, per_customer}};
  BOOST_TEST((round_trip(inv) == inv));
}
